import { writeFileSync } from 'node:fs';
import { benchmarkIds, type BenchmarkId, type SectionResult } from './results';

/**
 * Runs one benchmark in this (fresh) process and writes its result as JSON to the file
 * named on the command line. Product modules read their configuration when first
 * imported, so each benchmark gets a process of its own.
 *   node --import tsx bench/lib/run-one.ts <benchmark> <result.json>
 */
const [id, out] = process.argv.slice(2) as [BenchmarkId, string];
if (!benchmarkIds.includes(id) || !out) {
  process.stderr.write(`usage: run-one.ts <${benchmarkIds.join('|')}> <result.json>\n`);
  process.exit(2);
}
const module = (await import(`../${id}.ts`)) as { run: () => Promise<SectionResult> };
const result = await module.run();
writeFileSync(out, JSON.stringify(result));
// Product modules keep SDK sockets and timers; the result is written, so end here.
process.exit(0);
