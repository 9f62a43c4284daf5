import { aggregateIds } from '../../shared/data/aggregation';
import { PREFECTURE_CODES } from '../../shared/ids';
import { mulberry32 } from './matching-generate';
import { contributionOf, partsOf, physicalAggregate, sum, type Contribution } from '../../shared/progress/contribution';
import { addDays, daysBetween, fiscalYearOf, TARGET_START } from '../../shared/time/japan-time';

/**
 * Progress aggregates for `learners` people, synthesized at the aggregate level: each
 * learner's completions and qualification are drawn at random (distributions of
 * scripts/seed-demo.ts) and turned into cells by the product's own contributionOf, split
 * into the stored parts by its partsOf, then summed (keys: `<aggregate>@<part>`). The aggregator keeps exactly this invariant (aggregate = Σ contributionOf of the
 * counted records, which `progress:recount` checks), so these are the items that many
 * learners with these facts would leave behind; only the records themselves are skipped.
 */
export interface Roles {
  id: string;
  typeId: string;
}

export function synthesizeAggregates(learners: number, options: { seed: number; today: string; ruleVersion: string; roles: readonly Roles[] }): Contribution {
  const random = mulberry32(options.seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const span = daysBetween(TARGET_START, options.today);
  const total: Contribution = {};
  for (let n = 0; n < learners; n++) {
    const prefecture = random() < 0.3 ? pick(['11', '12', '13', '14', '23', '27']) : pick(PREFECTURE_CODES);
    const completions = 1 + Math.floor(random() * 3);
    let firstVerified: string | undefined;
    for (let c = 0; c < completions; c++) {
      const completedOn = addDays(TARGET_START, Math.floor(random() * (span + 1)));
      const status = random() < 0.7 ? 'verified' : 'self-reported';
      if (status === 'verified' && (!firstVerified || completedOn < firstVerified)) firstVerified = completedOn;
      sum(total, partsOf(contributionOf({ kind: 'completion', fiscalYear: fiscalYearOf(completedOn), prefecture, status, completedOn })));
    }
    if (!firstVerified || random() >= 0.85) continue;
    const r = random();
    const clause = r < 0.2 ? 'certification' : r < 0.95 ? 'role-readiness' : 'literacy-complete';
    const roles: string[] = [];
    if (clause === 'role-readiness') {
      const k = random() < 0.7 ? 1 : random() < 0.67 ? 2 : 3;
      while (roles.length < k) {
        const role = pick(options.roles).id;
        if (!roles.includes(role)) roles.push(role);
      }
    }
    const types = [...new Set(roles.map((id) => options.roles.find((role) => role.id === id)!.typeId))];
    sum(
      total,
      partsOf(
        contributionOf({
          kind: 'qualification',
          ruleVersion: options.ruleVersion,
          fiscalYear: fiscalYearOf(firstVerified),
          prefecture,
          qualifiedOn: firstVerified,
          clause,
          types,
          roles,
        }),
      ),
    );
  }
  return total;
}

/**
 * The upper bound: every cell a report's aggregates can hold present, with a 7-digit
 * count (the 2.3 million target). Cells are per prefecture × type/role and per day, not
 * per person, so no number of learners makes an item larger than this.
 */
export function saturatedAggregates(options: { today: string; ruleVersion: string; roles: readonly Roles[]; years: number[] }): Contribution {
  const total: Contribution = {};
  const big = 2_300_000;
  const types = [...new Set(options.roles.map((r) => r.typeId))];
  const statuses = ['verified', 'self-reported'];
  for (const fy of options.years) {
    const people = (part: string) => (total[physicalAggregate(aggregateIds.people(options.ruleVersion, fy), part)] ??= {});
    const completions = (part: string) => (total[physicalAggregate(aggregateIds.completions(fy), part)] ??= {});
    for (const p of PREFECTURE_CODES) {
      const group = `G${String(Math.ceil(Number(p) / 3)).padStart(2, '0')}`;
      const place = people(group);
      place[`p${p}`] = big;
      for (const t of types) place[`p${p}|t${t}`] = big;
      for (const r of options.roles) place[`p${p}|r${r.id}`] = big;
      for (const s of statuses) completions(group)[`${s}|p${p}`] = big;
    }
    const totals = people('T');
    totals.all = big;
    for (const clause of ['certification', 'role-readiness', 'literacy-complete']) totals[`c${clause}`] = big;
    for (const t of types) totals[`t${t}`] = big;
    for (const r of options.roles) totals[`r${r.id}`] = big;
    const start = `${fy}-04-01`;
    const days = Math.min(daysBetween(start, `${fy + 1}-03-31`), daysBetween(start, options.today));
    for (let d = 0; d <= days; d++) {
      const date = addDays(start, d);
      const month = `M${date.slice(0, 7)}`;
      people(month)[`d${date}`] = big;
      // Completions keep their totals in every month's part (they add up on read).
      for (const s of statuses) {
        completions(`${month}#${s}`)[s] = big;
        completions(`${month}#${s}`)[`${s}|d${date}`] = big;
      }
    }
  }
  return total;
}
