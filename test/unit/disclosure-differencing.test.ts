import { describe, expect, it } from 'vitest';
import type { CatalogVersion } from '../../shared/catalog/model';
import { PREFECTURES, TOKYO_AREA } from '../../shared/ids';
import { placementsCsv } from '../../shared/progress/placements-csv';
import { buildPlacementsReport } from '../../shared/progress/placements-report';
import { progressCsv } from '../../shared/progress/progress-file';
import { buildProgressReport, SMALL_CELL, TARGET } from '../../shared/progress/report';
import { determinedCells, type Relation } from './disclosure-lp';

/**
 * The differencing property: random small populations (most cells from 0 to 15), every
 * public answer of one moment (progress with every filter, JSON and CSV; placements with
 * every filter, JSON and CSV), every sum a reader knows holds between them, and no hidden
 * cell's exact value may follow; nor may it for a prefecture's center, who also knows its
 * own prefecture's figures exactly.
 */
const CODES = PREFECTURES.map((p) => p.code as string);
const ROWS = [...CODES, '00'];
const STYLES = ['full-time', 'side-job', 'dispatch', 'remote'];
const TYPES = ['ta', 'tb', 'tc', 'td', 'te'];
const ROLES = Array.from({ length: 15 }, (_, i) => `r${String(i).padStart(2, '0')}`);
const catalog = {
  promotion: { types: TYPES.map((id) => ({ id, ja: id, en: id })), roles: ROLES.map((id) => ({ id, ja: id, en: id })) },
} as unknown as CatalogVersion;
const rule = { provisional: true, provisionalReason: 'test' };
const inTokyo = (code: string) => (TOKYO_AREA as readonly string[]).includes(code);

type Cells = Record<string, number>;
interface Population {
  today: string;
  years: number[];
  people: Map<number, Cells>;
  completions: Map<number, Cells>;
  placements: Map<number, Cells>;
}

function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const add = (cells: Cells, cell: string, n: number) => {
  if (n !== 0) cells[cell] = (cells[cell] ?? 0) + n;
};

/** Cells mostly from 0 to 15: zeros, small counts and counts just over the threshold. */
function smallPopulation(seed: number, zeros = 0.35): Population {
  const r = random(seed);
  const count = () => {
    const u = r();
    return u < zeros ? 0 : u < zeros + (1 - zeros) * 0.6 ? 1 + Math.floor(r() * 9) : 10 + Math.floor(r() * 6);
  };
  const today = '2024-11-29';
  const years = [2022, 2023, 2024];
  const people = new Map<number, Cells>();
  const completions = new Map<number, Cells>();
  const placements = new Map<number, Cells>();
  for (const fy of years) {
    const p: Cells = {};
    const c: Cells = {};
    const w: Cells = {};
    for (const code of ROWS) {
      const n = count();
      add(p, 'all', n);
      add(p, `p${code}`, n);
      add(p, `d${fy}-10-01`, n);
      for (const status of ['verified', 'self-reported']) {
        const k = count();
        add(c, status, k);
        add(c, `${status}|p${code}`, k);
      }
    }
    for (const t of [...TYPES.map((t) => `t${t}`), ...ROLES.map((x) => `r${x}`)]) add(p, t, count());
    for (let i = 0; i < 60; i++) {
      const from = ROWS[Math.floor(r() * ROWS.length)]!;
      const to = i < 15 ? TOKYO_AREA[i % 4]! : CODES[Math.floor(r() * CODES.length)]!;
      const n = count();
      for (let k = 0; k < n; k++) {
        const style = STYLES[Math.floor(r() * STYLES.length)]!;
        for (const cell of ['all', `w${to}`, `s${style}`, `w${to}|s${style}`, `f${from}>${to}`]) add(w, cell, 1);
      }
    }
    people.set(fy, p);
    completions.set(fy, c);
    placements.set(fy, w);
  }
  return { today, years, people, completions, placements };
}

// ---- what the reader sees ----

type Seen = Map<string, number | null>;
function see(seen: Seen, cell: string, value: number | null | undefined) {
  if (value === undefined) throw new Error(`no figure for ${cell}`);
  const before = seen.get(cell);
  if (value === null) {
    if (before === undefined) seen.set(cell, null);
    return;
  }
  if (typeof before === 'number' && before !== value) throw new Error(`${cell} published as ${before} and as ${value}`);
  seen.set(cell, value);
}

const col = (fy: number | undefined) => (fy === undefined ? 'cum' : String(fy));
const csvRows = (csv: string) =>
  csv
    .slice(1)
    .trim()
    .split('\r\n')
    .filter((line) => !line.startsWith('counting_rule,'))
    // A suppressed count is X in the file, null in the JSON.
    .map((line) => line.split(',').map((x) => (x === '' || x === 'X' ? null : x)));
const num = (x: string | null | undefined) => (x === null || x === undefined ? null : Number(x));

function readProgress(pop: Population, seen: Seen, view: { own?: string }) {
  const queries: { fiscalYear?: number; prefecture?: string; type?: string; role?: string }[] = [{}];
  for (const fy of [undefined, ...pop.years]) {
    if (fy !== undefined) queries.push({ fiscalYear: fy });
    for (const prefecture of CODES) queries.push({ prefecture, ...(fy ? { fiscalYear: fy } : {}) });
    for (const type of TYPES) queries.push({ type, ...(fy ? { fiscalYear: fy } : {}) });
    for (const role of ROLES) queries.push({ role, ...(fy ? { fiscalYear: fy } : {}) });
  }
  for (const q of queries) {
    const exact = view.own !== undefined && q.prefecture === view.own;
    const report = buildProgressReport({
      filters: { ruleVersion: 't', ...q },
      today: pop.today,
      people: pop.people,
      completions: pop.completions,
      catalog,
      rule,
      suppressSmallCells: !exact,
      ownPrefecture: view.own,
    });
    const c = col(q.fiscalYear);
    const scope = q.prefecture ?? q.type ?? q.role ?? 'nat';
    const table = q.type ? 'T' : q.role ? 'R' : 'P';
    const completionScope = q.prefecture ?? 'nat';
    see(seen, `${table}|${scope}|${c}`, report.qualified);
    for (const y of report.qualifiedByFiscalYear) see(seen, `${table}|${scope}|${y.fiscalYear}`, y.qualified);
    see(seen, `V|${completionScope}|${c}`, report.completions.verified);
    see(seen, `S|${completionScope}|${c}`, report.completions.selfReported);
    for (const y of report.completions.byFiscalYear) {
      see(seen, `V|${completionScope}|${y.fiscalYear}`, y.verified);
      see(seen, `S|${completionScope}|${y.fiscalYear}`, y.selfReported);
    }
    if (report.pace) {
      see(seen, 'P|towardTarget', report.pace.towardTarget);
      see(seen, 'P|remaining', report.pace.remaining);
    }
    for (const p of report.breakdowns.prefectures) {
      see(seen, `P|${p.code}|${c}`, p.qualified);
      see(seen, `V|${p.code}|${c}`, p.completionsVerified);
    }
    if (q.prefecture && !exact) expect(report.breakdowns.types.length + report.breakdowns.roles.length).toBe(0);
    if (!q.prefecture) {
      for (const t of report.breakdowns.types) see(seen, `T|${t.id}|${c}`, t.qualified);
      for (const x of report.breakdowns.roles) see(seen, `R|${x.id}|${c}`, x.qualified);
    }
    // The CSV says what the JSON says, no more.
    for (const row of csvRows(progressCsv(report))) {
      const [dimension, key, , , qualified, verified, self] = row;
      if (dimension === 'total') {
        see(seen, `${table}|${scope}|${c}`, num(qualified));
        see(seen, `V|${completionScope}|${c}`, num(verified));
        see(seen, `S|${completionScope}|${c}`, num(self));
      } else if (dimension === 'fiscal_year') {
        see(seen, `${table}|${scope}|${key}`, num(qualified));
        see(seen, `V|${completionScope}|${key}`, num(verified));
        see(seen, `S|${completionScope}|${key}`, num(self));
      } else if (dimension === 'prefecture') {
        see(seen, `P|${key}|${c}`, num(qualified));
        see(seen, `V|${key}|${c}`, num(verified));
      } else if (dimension === 'talent_type' && !q.prefecture) see(seen, `T|${key}|${c}`, num(qualified));
      else if (dimension === 'role' && !q.prefecture) see(seen, `R|${key}|${c}`, num(qualified));
      else if (dimension === 'pace') {
        // The pace table: dimension, target, from, to, toward_target, remaining, …
        see(seen, 'P|towardTarget', num(row[4]));
        see(seen, 'P|remaining', num(row[5]));
      }
    }
  }
}

function readPlacements(pop: Population, seen: Seen, view: { own?: string }) {
  for (const fy of [undefined, ...pop.years]) {
    for (const prefecture of [undefined, ...CODES]) {
      const exact = view.own !== undefined && prefecture === view.own;
      const report = buildPlacementsReport({
        byYear: pop.placements,
        ...(fy !== undefined ? { fiscalYear: fy } : {}),
        ...(prefecture ? { prefecture } : {}),
        suppressSmallCells: !exact,
        ownPrefecture: view.own,
      });
      const c = col(fy);
      const scope = prefecture ?? 'nat';
      see(seen, `W|${scope}|${c}`, report.placements);
      for (const y of report.byFiscalYear) see(seen, `W|${scope}|${y.fiscalYear}`, y.placements);
      for (const p of report.byPrefecture) see(seen, `W|${p.code}|${c}`, p.placements);
      if (!prefecture) for (const s of report.byWorkStyle) see(seen, `St|${s.workStyle}|${c}`, s.placements);
      else if (!exact) expect(report.byWorkStyle).toEqual([]);
      if (fy === undefined) for (const f of report.flows) see(seen, `F|${f.from}>${f.to}`, f.placements);
      if (fy === undefined && !prefecture) see(seen, 'Tok', report.fromTokyoAreaToRegions);
      if (!exact && (fy !== undefined || prefecture)) expect(report.fromTokyoAreaToRegions).toBeNull();
      for (const row of csvRows(placementsCsv(report))) {
        const [dimension, key, , , value] = row;
        if (dimension === 'total') see(seen, `W|${scope}|${c}`, num(value));
        else if (dimension === 'fiscal_year') see(seen, `W|${scope}|${key}`, num(value));
        else if (dimension === 'workplace_prefecture') see(seen, `W|${key}|${c}`, num(value));
        else if (dimension === 'work_style' && !prefecture) see(seen, `St|${key}|${c}`, num(value));
        else if (dimension === 'flow' && fy === undefined) see(seen, `F|${key}`, num(value));
        else if (dimension === 'from_tokyo_area_to_regions' && fy === undefined && !prefecture) see(seen, 'Tok', num(value));
      }
    }
  }
}

// ---- the truth, and every sum a reader knows ----

function truthOf(pop: Population): Map<string, number> {
  const truth = new Map<string, number>();
  const put = (cell: string, n: number) => truth.set(cell, (truth.get(cell) ?? 0) + n);
  for (const fy of pop.years) {
    const p = pop.people.get(fy)!;
    const c = pop.completions.get(fy)!;
    const w = pop.placements.get(fy)!;
    for (const x of [String(fy), 'cum']) {
      put(`P|nat|${x}`, p.all ?? 0);
      put(`V|nat|${x}`, c.verified ?? 0);
      put(`S|nat|${x}`, c['self-reported'] ?? 0);
      put(`W|nat|${x}`, w.all ?? 0);
      for (const code of ROWS) {
        put(`P|${code}|${x}`, p[`p${code}`] ?? 0);
        put(`V|${code}|${x}`, c[`verified|p${code}`] ?? 0);
        put(`S|${code}|${x}`, c[`self-reported|p${code}`] ?? 0);
      }
      for (const code of CODES) put(`W|${code}|${x}`, w[`w${code}`] ?? 0);
      for (const t of TYPES) put(`T|${t}|${x}`, p[`t${t}`] ?? 0);
      for (const r of ROLES) put(`R|${r}|${x}`, p[`r${r}`] ?? 0);
      for (const s of STYLES) put(`St|${s}|${x}`, w[`s${s}`] ?? 0);
    }
    for (const [cell, n] of Object.entries(w)) {
      const m = /^f(\d\d)>(\d\d)$/.exec(cell);
      if (m) {
        put(`F|${m[1]}>${m[2]}`, n);
        if (inTokyo(m[1]!) && !inTokyo(m[2]!)) put('Tok', n);
      }
    }
    if (fy <= 2026) put('P|towardTarget', p.all ?? 0);
  }
  truth.set('P|remaining', TARGET - (truth.get('P|towardTarget') ?? 0));
  return truth;
}

function relationsOf(pop: Population, truth: Map<string, number>): Relation[] {
  const relations: Relation[] = [];
  const sum = (total: string, parts: string[], rhs = 0) => relations.push({ terms: [[total, 1], ...parts.map((p): [string, number] => [p, -1])], rhs });
  const cols = [...pop.years.map(String), 'cum'];
  const grid = (table: string, rows: string[], national: boolean) => {
    for (const row of rows)
      sum(
        `${table}|${row}|cum`,
        pop.years.map((fy) => `${table}|${row}|${fy}`),
      );
    if (!national) return;
    for (const x of cols)
      sum(
        `${table}|nat|${x}`,
        rows.map((row) => `${table}|${row}|${x}`),
      );
    sum(
      `${table}|nat|cum`,
      pop.years.map((fy) => `${table}|nat|${fy}`),
    );
  };
  grid('P', ROWS, true);
  grid('V', ROWS, true);
  grid('S', ROWS, true);
  grid('T', TYPES, false);
  grid('R', ROLES, false);
  grid('W', CODES, true);
  grid('St', STYLES, false);
  for (const x of cols)
    sum(
      `W|nat|${x}`,
      STYLES.map((s) => `St|${s}|${x}`),
    );
  sum(
    'P|towardTarget',
    pop.years.filter((fy) => fy <= 2026).map((fy) => `P|nat|${fy}`),
  );
  relations.push({
    terms: [
      ['P|remaining', 1],
      ['P|towardTarget', 1],
    ],
    rhs: TARGET,
  });
  const flows = [...truth.keys()].filter((k) => k.startsWith('F|') && truth.get(k)! > 0);
  for (const code of CODES)
    sum(
      `W|${code}|cum`,
      flows.filter((f) => f.endsWith(`>${code}`)),
    );
  sum(
    'Tok',
    flows.filter((f) => inTokyo(f.slice(2, 4)) && !inTokyo(f.slice(5, 7))),
  );
  // The model is right: every relation holds on the true figures.
  for (const r of relations) expect(r.terms.reduce((n, [c, k]) => n + k * (truth.get(c) ?? 0), 0)).toBe(r.rhs);
  return relations;
}

/** Cells of a prefecture: its rows of people, completions and workplaces, and the flows into it. */
const ofPrefecture = (cell: string, code: string) => new RegExp(`^(P|V|S|W)\\|${code}\\|`).test(cell) || cell.endsWith(`>${code}`);
const prefectureOf = (cell: string) => /^(?:P|V|S|W)\|(\d\d)\|/.exec(cell)?.[1] ?? /^F\|\d\d>(\d\d)$/.exec(cell)?.[1];

function attack(pop: Population) {
  const truth = truthOf(pop);
  const relations = relationsOf(pop, truth);
  const publicSeen: Seen = new Map();
  readProgress(pop, publicSeen, {});
  readPlacements(pop, publicSeen, {});
  const known = (seen: Seen) => new Map([...seen].filter((e): e is [string, number] => typeof e[1] === 'number'));
  const publicKnown = known(publicSeen);
  for (const [cell, value] of publicKnown) expect(value, cell).toBe(truth.get(cell) ?? 0);
  // National figures are always published.
  // National figures are always published (placements once there are 10 in all).
  for (const x of [...pop.years.map(String), 'cum']) for (const t of ['P', 'V', 'S']) expect(publicKnown.has(`${t}|nat|${x}`)).toBe(true);
  if ((truth.get('W|nat|cum') ?? 0) >= SMALL_CELL) for (const x of [...pop.years.map(String), 'cum']) expect(publicKnown.has(`W|nat|${x}`)).toBe(true);
  // Hidden: shown as null, or never shown and small (a figure no answer names, such as the
  // self-reported completions of people without a prefecture, must not follow either).
  const hidden = [...truth].filter(([c, n]) => publicSeen.get(c) === null || (!publicSeen.has(c) && n > 0 && n < SMALL_CELL)).map(([c]) => c);
  const leaks = determinedCells(relations, publicKnown, truth).filter((c) => hidden.includes(c));
  const insiderLeaks: string[] = [];
  // A center sees its own prefecture exactly, national answers included, and otherwise what
  // the public sees: read for a few centers, then taken as every center's knowledge.
  for (const own of ['13', '31', '47']) {
    const seen: Seen = new Map();
    readProgress(pop, seen, { own });
    readPlacements(pop, seen, { own });
    for (const [cell, value] of known(seen)) {
      expect(value, cell).toBe(truth.get(cell) ?? 0);
      if (!ofPrefecture(cell, own)) expect(publicKnown.has(cell), `${own} sees ${cell}`).toBe(true);
    }
    for (const [cell, value] of truth) if (ofPrefecture(cell, own) && value !== 0) expect(seen.get(cell), `${own} sees ${cell}`).toBe(value);
  }
  for (const own of CODES) {
    const knows = new Map(publicKnown);
    for (const [cell, value] of truth) if (ofPrefecture(cell, own)) knows.set(cell, value);
    for (const cell of determinedCells(relations, knows, truth)) {
      const of = prefectureOf(cell);
      // A center whose own count is a national total knows the others are 0: only counts are leaks.
      if (of && of !== own && hidden.includes(cell) && truth.get(cell) !== 0) insiderLeaks.push(`${own} finds ${cell}`);
    }
  }
  const large = [...truth].filter(([c, n]) => n >= SMALL_CELL && publicSeen.has(c));
  const complements = large.filter(([c]) => publicSeen.get(c) === null);
  return { leaks, insiderLeaks, hiddenCount: hidden.length, complementShare: complements.length / large.length };
}

/** Residents by prefecture (2020 census, tens of thousands), to spread learners as people live. */
const RESIDENTS = [
  522, 124, 121, 230, 96, 107, 183, 287, 193, 194, 734, 628, 1405, 924, 220, 103, 113, 77, 81, 205, 198, 363, 754, 177, 141, 258, 884, 547, 132, 92, 55, 67,
  189, 280, 134, 72, 95, 133, 69, 514, 81, 131, 174, 112, 107, 159, 147,
];

/**
 * 10,000 learners in four fiscal years (FY2022-FY2025, today in FY2025), spread by where
 * people live (1% without a prefecture); half qualify, each ready for one or two of the
 * types and roles; two completions each, three in four verified.
 */
function learnerPopulation(learners: number, seed: number): Population {
  const r = random(seed);
  const weights = [...RESIDENTS, 130];
  const totalWeight = weights.reduce((a, b) => a + b, 0);
  const pick = () => {
    let u = r() * totalWeight;
    for (let i = 0; i < weights.length; i++) if ((u -= weights[i]!) < 0) return ROWS[i]!;
    return '00';
  };
  const years = [2022, 2023, 2024, 2025];
  const yearOf = () => years[Math.min(3, Math.floor(r() * r() * 5))]!;
  const people = new Map<number, Cells>(years.map((fy) => [fy, {}]));
  const completions = new Map<number, Cells>(years.map((fy) => [fy, {}]));
  for (let i = 0; i < learners; i++) {
    const code = pick();
    for (let k = 0; k < 2; k++) {
      const status = r() < 0.75 ? 'verified' : 'self-reported';
      const c = completions.get(yearOf())!;
      add(c, status, 1);
      add(c, `${status}|p${code}`, 1);
    }
    if (r() < 0.5) {
      const p = people.get(yearOf())!;
      for (const cell of ['all', `p${code}`, `t${TYPES[Math.floor(r() * TYPES.length)]}`, `r${ROLES[Math.floor(r() * ROLES.length)]}`]) add(p, cell, 1);
      if (r() < 0.3) add(p, `r${ROLES[Math.floor(r() * ROLES.length)]}`, 1);
    }
  }
  return { today: '2025-11-29', years, people, completions, placements: new Map(years.map((fy) => [fy, {}])) };
}

describe('public answers against differencing', () => {
  for (const [seed, zeros] of [
    [1, 0.35],
    [2, 0.35],
    [3, 0.35],
    [4, 0.9],
    [5, 0.97],
  ] as const) {
    it(`determine no hidden cell for a reader or another prefecture's center (population ${seed}, ${zeros * 100}% zeros)`, () => {
      const result = attack(smallPopulation(seed, zeros));
      console.info(
        `population ${seed}: ${result.hiddenCount} cells hidden; ${(result.complementShare * 100).toFixed(1)}% of cells of ${SMALL_CELL} or more hidden as complements`,
      );
      expect(result.hiddenCount).toBeGreaterThan(0);
      expect(result.leaks).toEqual([]);
      expect(result.insiderLeaks).toEqual([]);
    });
  }

  it('hide under 10% of the cells of 10 or more as complements at 10,000 learners', () => {
    const pop = learnerPopulation(10_000, 7);
    const truth = truthOf(pop);
    const seen: Seen = new Map();
    readProgress(pop, seen, {});
    const large = [...truth].filter(([c, n]) => n >= SMALL_CELL && seen.has(c));
    const share = large.filter(([c]) => seen.get(c) === null).length / large.length;
    const small = [...truth].filter(([c, n]) => n > 0 && n < SMALL_CELL && seen.has(c)).length;
    console.info(
      `10,000 learners: ${small} small cells hidden; ${(share * 100).toFixed(1)}% of ${large.length} cells of ${SMALL_CELL} or more hidden as complements`,
    );
    const known = new Map([...seen].filter((e): e is [string, number] => typeof e[1] === 'number'));
    const hidden = (c: string) => seen.get(c) === null || (!seen.has(c) && (truth.get(c) ?? 0) > 0 && (truth.get(c) ?? 0) < SMALL_CELL);
    expect(determinedCells(relationsOf(pop, truth), known, truth).filter(hidden)).toEqual([]);
    expect(share).toBeLessThan(0.1);
  });
});
