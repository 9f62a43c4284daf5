import { fiscalYearOf, TARGET_END, TARGET_START } from '../time/japan-time';
import { csvTable } from './csv-table';
import { SMALL_CELL, TARGET } from './report';

/**
 * People qualified by month since April 2022 (the line chart of the progress page), from
 * the same aggregates as the report: the people aggregates' day cells (`d<date>`), summed
 * by month. National only, like the pace: the day cells are national.
 *
 * Disclosure: a public answer must not let a reader recover a count from 1 to 9 by
 * subtracting one published cumulative figure from another. So the cumulative figure is
 * published only at "cuts": month ends where the people qualified since the previous cut
 * number 0 or at least SMALL_CELL; a month's own count is published only when both of its
 * ends are cuts (it is then exactly that difference): months are merged, as statistics
 * offices collapse categories. Every fiscal year end and the last month are cuts, because
 * the report always publishes the national fiscal-year figures and the total: a small
 * remainder before one merges back into the segment before it instead. Months inside a
 * merged segment show null for both figures; their total (at least SMALL_CELL, unless the
 * whole fiscal year is smaller, which the report publishes anyway) is all a reader learns.
 * Admin gets exact figures.
 */
export type MonthlyPoint = { month: string; qualified: number | null; cumulative: number | null };

export function monthsSince(start: string, today: string): string[] {
  const months: string[] = [];
  let [year, month] = [Number(start.slice(0, 4)), Number(start.slice(5, 7))];
  const last = today.slice(0, 7);
  for (;;) {
    const label = `${year}-${String(month).padStart(2, '0')}`;
    if (label > last) return months;
    months.push(label);
    month = month === 12 ? 1 : month + 1;
    if (month === 1) year++;
  }
}

/** Which month ends may publish their cumulative figure (see above). Pure, for the property test. */
export function publishableCuts(monthly: readonly number[], mandatory: (index: number) => boolean): boolean[] {
  const cut = monthly.map(() => false);
  let running = 0;
  // Cuts made since the last mandatory one, with the count of the segment each closes.
  let interior: { index: number; segment: number }[] = [];
  monthly.forEach((n, i) => {
    running += n;
    const safe = running === 0 || running >= SMALL_CELL;
    if (!mandatory(i)) {
      if (safe) {
        cut[i] = true;
        interior.push({ index: i, segment: running });
        running = 0;
      }
      return;
    }
    // A mandatory end with a small remainder: undo the latest cuts until it is not small.
    while (!(running === 0 || running >= SMALL_CELL) && interior.length > 0) {
      const undone = interior.pop()!;
      cut[undone.index] = false;
      running += undone.segment;
    }
    // Published whatever it holds: the report publishes national fiscal-year figures and the total.
    cut[i] = true;
    running = 0;
    interior = [];
  });
  return cut;
}

export function buildMonthlySeries(input: {
  today: string;
  ruleVersion: string;
  rule: { provisional: boolean; provisionalReason?: string | undefined };
  /** The people aggregates of the rule, by fiscal year. */
  people: Map<number, Record<string, number>>;
  suppressSmallCells: boolean;
}) {
  const { today, people, suppressSmallCells } = input;
  const months = monthsSince(TARGET_START, today);
  const byMonth = new Map<string, number>();
  for (const cells of people.values()) {
    for (const [cell, n] of Object.entries(cells)) {
      if (/^d\d{4}-\d\d-\d\d$/.test(cell)) byMonth.set(cell.slice(1, 8), (byMonth.get(cell.slice(1, 8)) ?? 0) + n);
    }
  }
  const monthly = months.map((m) => byMonth.get(m) ?? 0);
  const isLast = (i: number) => i === months.length - 1;
  const cuts = suppressSmallCells ? publishableCuts(monthly, (i) => isLast(i) || months[i]!.endsWith('-03')) : monthly.map(() => true);
  let cumulative = 0;
  const points: MonthlyPoint[] = months.map((month, i) => {
    cumulative += monthly[i]!;
    const bothEnds = cuts[i]! && (i === 0 || cuts[i - 1]!);
    return { month, qualified: bothEnds ? monthly[i]! : null, cumulative: cuts[i] ? cumulative : null };
  });
  return {
    rule: input.ruleVersion,
    provisional: input.rule.provisional,
    ...(input.rule.provisionalReason ? { provisionalReason: input.rule.provisionalReason } : {}),
    by: 'month' as const,
    today,
    // The month of `today` is counted so far, not whole.
    currentFiscalYear: fiscalYearOf(today),
    target: TARGET,
    targetWindow: { from: TARGET_START, to: TARGET_END },
    months: points,
    suppressed: suppressSmallCells
      ? `a month's count is null unless it and the cumulative figures at both its ends can be published; cumulative figures are published only where the people since the previous published one number 0 or at least ${SMALL_CELL}`
      : null,
  };
}

export type MonthlySeries = ReturnType<typeof buildMonthlySeries>;

/** The series as a spreadsheet table; every row names the counting rule and its status. */
export function monthlySeriesCsv(series: MonthlySeries): string {
  const status = series.provisional ? 'provisional' : 'official';
  return csvTable([
    ['month', 'qualified_in_month', 'qualified_cumulative', 'counting_rule', 'rule_status'],
    ...series.months.map((p) => [p.month, p.qualified, p.cumulative, series.rule, status]),
  ]);
}
