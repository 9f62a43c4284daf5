/**
 * Writes a seeded random matching instance as JSON on stdout, by default at the size of
 * the US residency match:
 *   npx tsx scripts/generate-match-instance.ts --candidates 45000 --openings 6400 \
 *     --seats 41500 --min-list 10 --max-list 30 --seed 1 > big.json
 */
import { parseArgs } from 'node:util';
import { generateInstance, residencySize } from '../bench/lib/matching-generate';
import type { GeneratorOptions } from '../bench/lib/matching-generate';

const flags = {
  candidates: 'candidates',
  openings: 'openings',
  seats: 'seats',
  'min-list': 'minList',
  'max-list': 'maxList',
  seed: 'seed',
} as const satisfies Record<string, keyof GeneratorOptions>;

function main(): number {
  let values: Record<string, string | undefined>;
  try {
    ({ values } = parseArgs({
      options: Object.fromEntries(Object.keys(flags).map((flag) => [flag, { type: 'string' as const }])),
      allowPositionals: false,
    }));
  } catch (error) {
    return usage((error as Error).message);
  }

  const options: GeneratorOptions = { ...residencySize };
  for (const [flag, key] of Object.entries(flags)) {
    const text = values[flag];
    if (text === undefined) continue;
    const value = Number(text);
    if (text.trim() === '' || !Number.isSafeInteger(value) || value < 0) {
      return usage(`--${flag} must be a whole number ≥ 0, got "${text}"`);
    }
    options[key] = value;
  }

  let instance: ReturnType<typeof generateInstance>;
  try {
    instance = generateInstance(options);
  } catch (error) {
    if (error instanceof RangeError) return usage(error.message);
    throw error;
  }
  process.stdout.write(`${JSON.stringify(instance)}\n`);
  return 0;
}

function usage(problem: string): number {
  const defaults = Object.entries(flags)
    .map(([flag, key]) => `--${flag} ${residencySize[key]}`)
    .join(' ');
  process.stderr.write(`generate-match-instance: ${problem}\nusage: tsx scripts/generate-match-instance.ts [${defaults}]\n`);
  return 2;
}

process.exitCode = main();
