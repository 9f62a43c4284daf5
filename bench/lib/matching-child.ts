import { performance } from 'node:perf_hooks';
import { solve } from '../../shared/matching/deferred-acceptance';
import { generateInstance, mulberry32, residencySize, withRegionalCaps } from './matching-generate';

/**
 * One matching scale in a process of its own (run with --expose-gc, pinned to one core by
 * the parent): generates the residency-shaped instance scaled by argv[2], then, unless
 * argv[3] is "generate-only", solves it `repeats` times (argv[4]), each after a GC and
 * right after a fixed reference loop (the same-run baseline for the absolute time); with
 * argv[3] "solve-caps", with regional caps on 10 regions at 90 % of their seats.
 * Prints one JSON line. The parent compares the peak RSS of a solving process with that of
 * a generate-only process to isolate the memory the solve needs.
 */
const scale = Number(process.argv[2]);
const mode = process.argv[3] ?? 'solve';
const repeats = Number(process.argv[4] ?? 5);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');

const options = {
  ...residencySize,
  candidates: Math.round(residencySize.candidates * scale),
  openings: Math.round(residencySize.openings * scale),
  seats: Math.round(residencySize.seats * scale),
};
const REGIONS = 10;
const CAP_SHARE = 0.9;
const generated = generateInstance(options);
const instance = mode === 'solve-caps' ? withRegionalCaps(generated, REGIONS, CAP_SHARE) : generated;
const candidateEntries = instance.candidates.reduce((n, c) => n + c.prefs.length, 0);
const openingEntries = instance.openings.reduce((n, o) => n + o.prefs.length, 0);

function referenceLoop(): number {
  const random = mulberry32(12345);
  const started = performance.now();
  let acc = 0;
  for (let i = 0; i < 20_000_000; i++) acc = (acc + Math.floor(random() * 1000)) | 0;
  if (acc === 42) process.stderr.write('');
  return performance.now() - started;
}

const memory = () => {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};

const times: number[] = [];
const references: number[] = [];
let allocatedInSolve = 0;
let retainedByResult = 0;
let stable = true;
let matched = 0;
let regions: { id: string; cap: number; filled: number }[] | undefined;
if (mode !== 'generate-only') {
  for (let r = 0; r < repeats; r++) {
    gc();
    references.push(referenceLoop());
    gc();
    const before = memory();
    const started = performance.now();
    const result = solve(instance);
    times.push(performance.now() - started);
    if (r === 0) {
      allocatedInSolve = memory() - before;
      gc();
      retainedByResult = memory() - before;
    }
    stable &&= result.stable;
    matched = result.assignments.length;
    regions = result.regions;
  }
}

process.stdout.write(
  `${JSON.stringify({
    scale,
    mode,
    candidates: options.candidates,
    openings: options.openings,
    seats: options.seats,
    candidateEntries,
    openingEntries,
    times,
    references,
    allocatedInSolve,
    retainedByResult,
    maxRss: process.resourceUsage().maxRSS * 1024,
    matched,
    stable,
    ...(regions && { regions }),
  })}\n`,
);
