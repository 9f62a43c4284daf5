import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { repositoryRoot } from './lib/environment';
import { benchmarkIds, type BenchmarkId, type SectionResult } from './lib/results';
import { writeReport } from './report';

/**
 * `npm run bench`: every benchmark, each in a fresh process, then docs/benchmarks.md.
 * `npx tsx bench/run.ts <id> [<id> …]`: only those (the others' sections are kept).
 */
const requested = process.argv.slice(2).filter((a) => !a.startsWith('-'));
if (process.argv.includes('--help') || requested.some((id) => !benchmarkIds.includes(id as BenchmarkId))) {
  process.stderr.write(`usage: npx tsx bench/run.ts [${benchmarkIds.join(' | ')}] …\n  (no argument: all of them; see docs/benchmarks.md)\n`);
  process.exit(process.argv.includes('--help') ? 0 : 2);
}
const selected = (requested.length ? benchmarkIds.filter((id) => requested.includes(id)) : [...benchmarkIds]) as BenchmarkId[];
const CHILD_TIMEOUT_MS = 12 * 60_000;
// The drain seeds and drains 100,000 records twice through a proxy that adds latency; the
// ranking loads 610,000 pool entries, which takes past 12 minutes on a busy machine.
const CHILD_TIMEOUT_MS_OF: Partial<Record<BenchmarkId, number>> = { drain: 45 * 60_000, ranking: 30 * 60_000 };

const runOne = fileURLToPath(new URL('./lib/run-one.ts', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'kanryu-bench-'));
const startedAt = new Date();
const results: SectionResult[] = [];
const failed: { id: BenchmarkId; reason: string }[] = [];

function runChild(id: BenchmarkId): Promise<SectionResult> {
  const out = join(work, `${id}.json`);
  return new Promise((resolve, reject) => {
    // stdout is discarded: the handlers log their access lines there.
    const child = spawn(process.execPath, ['--import', 'tsx', runOne, id, out], {
      cwd: repositoryRoot,
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), CHILD_TIMEOUT_MS_OF[id] ?? CHILD_TIMEOUT_MS);
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (code !== 0) return reject(new Error(signal ? `killed by ${signal}` : `exit code ${code}`));
      try {
        resolve(JSON.parse(readFileSync(out, 'utf8')) as SectionResult);
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  });
}

try {
  for (const id of selected) {
    const t0 = Date.now();
    process.stderr.write(`bench: ${id}\n`);
    try {
      results.push(await runChild(id));
      process.stderr.write(`bench: ${id} done in ${((Date.now() - t0) / 1000).toFixed(0)} s\n`);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      failed.push({ id, reason });
      process.stderr.write(`bench: ${id} FAILED: ${reason}\n`);
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

const totalSeconds = (Date.now() - startedAt.getTime()) / 1000;
const path = writeReport(results, { startedAt: startedAt.toISOString(), totalSeconds, benchmarks: selected, failed });
for (const section of results) {
  process.stdout.write(`\n${section.title}\n`);
  for (const f of section.figures)
    process.stdout.write(
      `  ${f.verdict === 'over' ? 'OVER' : f.verdict === 'pass' ? 'pass' : '    '}  ${f.label}: ${f.value}${f.budget ? `  (budget ${f.budget})` : ''}\n`,
    );
}
process.stdout.write(`\nwrote ${path} in ${(totalSeconds / 60).toFixed(1)} min${failed.length ? `; FAILED: ${failed.map((f) => f.id).join(', ')}` : ''}\n`);
process.exit(failed.length ? 1 : 0);
