import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { repositoryRoot } from './lib/environment';
import type { SectionResult } from './lib/results';
import { Section, progress } from './lib/section';
import { count, median, ratio } from './lib/stats';

/**
 * Matching at residency size (45,000 candidates, 6,400 openings, 41,500 seats, lists of
 * 10–30) and at 0.25×, 0.5×, 2×: time and peak memory of `solve`, each scale in a fresh
 * process pinned to one core; and at 1× with regional caps (10 regions, each capped at
 * 90 % of its seats), which runs flexible deferred acceptance instead.
 */
const SCALES = [0.25, 0.5, 1, 2];
const REPEATS = Number(process.env.BENCH_MATCHING_REPEATS ?? 5);
const BUDGET_MS = 1000;

interface ChildResult {
  scale: number;
  mode: string;
  regions?: { id: string; cap: number; filled: number }[];
  candidates: number;
  openings: number;
  seats: number;
  candidateEntries: number;
  openingEntries: number;
  times: number[];
  references: number[];
  allocatedInSolve: number;
  retainedByResult: number;
  maxRss: number;
  matched: number;
  stable: boolean;
}

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
const min = (values: number[]) => Math.min(...values);

export async function run(): Promise<SectionResult> {
  const section = new Section('matching', 'Matching (deferred acceptance) at residency size');
  const child = fileURLToPath(new URL('./lib/matching-child.ts', import.meta.url));
  const pinned = existsSync('/usr/bin/taskset') || existsSync('/bin/taskset');
  const runChild = (scale: number, mode: 'solve' | 'generate-only' | 'solve-caps'): ChildResult => {
    const args = ['--expose-gc', '--import', 'tsx', child, String(scale), mode, String(REPEATS)];
    const options = { cwd: repositoryRoot, encoding: 'utf8' as const, maxBuffer: 1 << 20, env: { ...process.env, NODE_OPTIONS: '' } };
    const out = pinned ? spawnSync('taskset', ['-c', '0', process.execPath, ...args], options) : spawnSync(process.execPath, args, options);
    if (out.status !== 0) throw new Error(`matching child failed at ${scale}× (${mode}): ${out.stderr}`);
    return JSON.parse(out.stdout.trim().split('\n').pop()!) as ChildResult;
  };
  const results: (ChildResult & { generateOnlyRss: number })[] = [];
  for (const scale of SCALES) {
    progress(`matching: scale ${scale}×`);
    const solved = runChild(scale, 'solve');
    const generated = runChild(scale, 'generate-only');
    results.push({ ...solved, generateOnlyRss: generated.maxRss });
  }
  progress('matching: scale 1× with regional caps');
  const capped = runChild(1, 'solve-caps');
  const one = results.find((r) => r.scale === 1)!;
  const two = results.find((r) => r.scale === 2)!;
  // Noise on a shared machine only ever adds time: the fastest of the repeats is the best
  // estimate of the solve on an uncontended core; the median is shown beside it.
  const solveMs = (r: ChildResult) => min(r.times);
  const normalized = (r: ChildResult) => median(r.times.map((t, i) => t / r.references[i]!));
  const entries = (r: ChildResult) => r.candidateEntries + r.openingEntries;
  const perEntry = (r: ChildResult) => solveMs(r) / entries(r);
  const oneMs = solveMs(one);
  const cappedMs = solveMs(capped);
  progress(
    `matching raw (not reported): 1× solve min ${oneMs.toFixed(0)} ms, median ${median(one.times).toFixed(0)} ms; reference loop median ${median(one.references).toFixed(0)} ms`,
  );

  section.method.push(
    `bench/lib/matching-generate.ts \`generateInstance\` with \`residencySize\` (seed 1) scaled in candidates, openings and seats, then \`solve\` from shared/matching/deferred-acceptance.ts (deferred acceptance plus the independent stability check). Each scale runs in a fresh \`node --expose-gc\` process${pinned ? ' pinned to one core with `taskset -c 0`' : ''}: ${REPEATS} solves, each after a GC and right after a fixed reference loop (20 M mulberry32 draws, pure JS integer work) that serves as the same-run baseline.`,
    'Time: the fastest of the repeats (noise on a shared machine only adds time), with the median beside it; solve ÷ reference loop is the median of the per-repeat ratios and is comparable across runs and machines, milliseconds are not. Total preference-list length = entries of all candidate lists + entries of all opening lists; time per entry at each scale ÷ time per entry at 1× shows the growth (1.00× = linear).',
    `Regional caps: the same 1× instance with \`withRegionalCaps\` (bench/lib/matching-generate.ts): 10 regions of consecutive openings (640 each), each capped at 90 % of its seats rounded down, default targets (proportional to seats) and order; \`solve\` then runs flexible deferred acceptance (shared/matching/flexible-deferred-acceptance.ts) and checks stability in Kamada and Kojima's sense. Same process setup and repeats as the other scales.`,
    'Memory: peak RSS of the solving process − peak RSS of a second process that only generates the instance (the memory the solve needs beyond holding its input), and V8 heap + array buffers right after the first solve (before any GC) and after a GC with the result alive, each minus the value before the solve.',
  );
  section.figure(
    '1× (45,000 × 6,400, 41,500 seats) solve time on one core',
    `${(oneMs / 1000).toFixed(2)} s fastest of ${REPEATS} (median ${(median(one.times) / 1000).toFixed(2)} s); ${ratio(normalized(one))} the reference loop`,
    {
      text: '≤ 1 s',
      within: oneMs <= BUDGET_MS,
    },
  );
  const cappedFilled = capped.regions ?? [];
  section.figure(
    '1× with regional caps (10 regions, caps at 90 % of their seats) solve time on one core',
    `${(cappedMs / 1000).toFixed(2)} s fastest of ${REPEATS} (median ${(median(capped.times) / 1000).toFixed(2)} s); ${ratio(normalized(capped))} the reference loop; ${ratio(cappedMs / oneMs)} the uncapped solve`,
    { text: '≤ 1 s', within: cappedMs <= BUDGET_MS },
  );
  section.figure(
    '1× with regional caps: seats filled',
    `${count(capped.matched)} of ${count(capped.seats)} (uncapped ${count(one.matched)}); ${cappedFilled.filter((r) => r.filled === r.cap).length} of ${cappedFilled.length} regions at their cap`,
  );
  const quarter = results.find((r) => r.scale === 0.25)!;
  section.figure(
    'Time per list entry at 0.25× / 0.5× / 2×, relative to 1× (1.00× = linear)',
    results
      .filter((r) => r.scale !== 1)
      .map((r) => ratio(perEntry(r) / perEntry(one)))
      .join(' / '),
  );
  section.figure(
    '1× memory: heap + array buffers grown during the solve; process peak RSS (solving / generating only)',
    `${mib(one.allocatedInSolve)}; ${mib(one.maxRss)} / ${mib(one.generateOnlyRss)}`,
  );
  const allStable = results.every((r) => r.stable) && capped.stable;
  section.notes.push(
    'Since issue 14 `solve` builds the id → index arrays once and hands them to both the solver and the independent check (which keeps its own logic); before, each built its own, and those 3.6 M map lookups were the largest single cost.',
  );
  section.figure('Every result certified stable by the independent check (with caps: in Kamada and Kojima’s sense)', allStable ? 'yes' : 'NO', {
    text: 'yes',
    within: allStable,
  });
  section.table(
    'Scaling: time per total preference-list entry relative to 1×, and memory',
    [
      'scale',
      'candidates',
      'openings',
      'seats',
      'list entries (both sides)',
      'solve ÷ 1× solve',
      'per entry ÷ 1×',
      'solve ÷ reference loop',
      'peak RSS beyond input',
      'allocated in solve',
      'retained (result)',
      'matched',
    ],
    results.map((r) => [
      `${r.scale}×`,
      count(r.candidates),
      count(r.openings),
      count(r.seats),
      count(entries(r)),
      ratio(solveMs(r) / oneMs),
      ratio(perEntry(r) / perEntry(one)),
      ratio(normalized(r)),
      mib(Math.max(0, r.maxRss - r.generateOnlyRss)),
      mib(r.allocatedInSolve),
      mib(r.retainedByResult),
      `${count(r.matched)} (${((r.matched / r.candidates) * 100).toFixed(1)} %)`,
    ]),
  );
  if (cappedMs > BUDGET_MS) {
    section.over.push({
      figure: `1× solve with regional caps ${(cappedMs / 1000).toFixed(2)} s > 1 s`,
      why: `The capped solve is ${ratio(cappedMs / oneMs)} the uncapped one (${ratio(normalized(capped))} vs ${ratio(normalized(one))} the reference loop): candidates turned away by a full region propose further down their lists, and the check classifies every blocking pair a cap permits. The reference loop took ${median(capped.references).toFixed(0)} ms (median) in this run; compare it across runs to see how loaded the machine was.`,
      plan: 'A CPU profile of the capped solve is led by the id → index translation (arrays.ts `flatten`, 1.8 M map lookups shared by solver and check), not by the regional logic; an instance format with indices instead of ids (or ids interned once when the instance is built) would remove it.',
    });
  }
  if (oneMs > BUDGET_MS) {
    section.over.push({
      figure: `1× solve ${(oneMs / 1000).toFixed(2)} s > 1 s`,
      why: `Solve time is ${ratio(normalized(one))} the reference loop on this machine; per-entry cost at 2× is ${ratio(perEntry(two) / perEntry(one))} that at 1×.`,
      plan: 'Profile `solve` (node --cpu-prof): the id→index maps (built once, shared by the solver and the check since issue 14) and the blocking-pair check are the candidates.',
    });
  }
  section.notes.push(
    `Growth: from 0.25× to 2× the time per list entry rises ${ratio(perEntry(two) / perEntry(quarter))}. The solver's work is linear in the list entries (each candidate proposes at most once down its list, plus a heap step per tentative acceptance, and the average capacity is the same ~6.5 seats at every scale), so the rise most likely comes from memory locality — the small instances' arrays fit in the CPU caches, the large ones' random rank and heap accesses do not — rather than from the algorithm; the bench does not count cache misses to prove it. From 1× to 2× it is ${ratio(perEntry(two) / perEntry(one))}; the fastest-vs-median spread of the repeats (${ratio(median(one.times) / min(one.times))} at 1×) shows how much of that is noise.`,
    "Memory: the solving process peaks no higher than a process that only generates the instance — the solve's typed arrays and result fit in memory the generator had already used; a 2048 MB Lambda (national-round-prefecture) has ample room even at 2×.",
    `The README quotes "about 0.4 s" for the 1× solve; the ratio to the reference loop is the number to compare between machines and runs.`,
  );
  return section.finish();
}
