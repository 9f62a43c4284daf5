/**
 * Solves a matching instance: prints the result JSON on stdout and nothing else.
 *
 *   npx tsx scripts/match.ts instance.json        (or `-` to read stdin)
 *   npm run --silent match -- instance.json
 *   npm run match -- instance.json --out result.json
 *
 * Plain `npm run match -- file` is NOT clean: npm itself writes its "> kanryu@0.1.0 match"
 * banner to stdout before this script starts, so pipe only the --silent form, or use --out.
 *
 * Instance: { "candidates": [...], "openings": [...] }, optionally with regional caps,
 *   "regions": [{ "id": "tokyo-area", "openings": ["o1", ...], "cap": 500,
 *                 "targets": { "o1": 3, ... }, "order": ["o1", ...] }]   (targets, order optional)
 * Without "regions": deferred acceptance, output exactly as before:
 *   { "assignments": [...], "unmatched": [...], "stable": true }
 * With "regions": Kamada–Kojima flexible deferred acceptance; `stable` is stability in
 * their sense, and the output adds each region's cap and seats filled:
 *   { "assignments": [...], "unmatched": [...], "stable": true, "regions": [{ "id", "cap", "filled" }] }
 *
 * Options: --time prints the solve time (and the read+validate time) in ms on stderr;
 * --out FILE writes the result there instead of stdout.
 * Exit codes: 0 solved; 2 bad usage, unreadable file, invalid JSON or malformed instance
 * (explained on stderr); 1 anything unexpected.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { solve } from '../shared/matching/deferred-acceptance';
import { parseInstance } from '../shared/matching/instance';

const usageText = 'usage: tsx scripts/match.ts <instance.json | -> [--time] [--out result.json]';
/** Enough to show the pattern of a systematic mistake without flooding the terminal. */
const maxErrorsShown = 50;

/** The user's input is at fault: exit 2. */
class InputProblem extends Error {}
/** The environment is at fault, but the message says it all: exit 1 without a stack. */
class OutputProblem extends Error {}

async function main(): Promise<void> {
  const { file, time, out } = readArguments();

  const readStarted = performance.now();
  const text = await readSource(file);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new InputProblem(`${describeSource(file)} is not valid JSON: ${(error as Error).message}`);
  }

  const parsed = parseInstance(json);
  if (!parsed.ok) {
    const shown = parsed.errors.slice(0, maxErrorsShown).map((e) => `  ${e.path}: ${e.message}`);
    const hidden = parsed.errors.length - shown.length;
    if (hidden > 0) shown.push(`  … and ${hidden} more`);
    const count = `${parsed.errors.length} problem${parsed.errors.length === 1 ? '' : 's'}`;
    throw new InputProblem(`${describeSource(file)} is not a valid matching instance (${count}):\n${shown.join('\n')}`);
  }

  const started = performance.now();
  const result = solve(parsed.instance);
  const elapsed = performance.now() - started;
  if (time) {
    process.stderr.write(`match: read and validated in ${(started - readStarted).toFixed(1)} ms\n`);
    process.stderr.write(`match: solved in ${elapsed.toFixed(1)} ms\n`);
  }

  const output = `${JSON.stringify(result, null, 2)}\n`;
  if (out !== undefined) return writeOut(out, output);
  warnIfNpmBannerOnStdout();
  process.stdout.write(output);
}

function readArguments(): { file: string; time: boolean; out: string | undefined } {
  let parsed: { values: { time?: boolean; out?: string }; positionals: string[] };
  try {
    parsed = parseArgs({
      options: { time: { type: 'boolean', default: false }, out: { type: 'string' } },
      allowPositionals: true,
    });
  } catch (error) {
    throw new InputProblem(`${(error as Error).message}\n${usageText}`);
  }
  const [file, ...extra] = parsed.positionals;
  if (file === undefined || extra.length > 0) throw new InputProblem(`expected exactly one instance file\n${usageText}`);
  return { file, time: parsed.values.time ?? false, out: parsed.values.out };
}

async function readSource(file: string): Promise<string> {
  try {
    return file === '-' ? await readStdin() : await readFile(file, 'utf8');
  } catch (error) {
    throw new InputProblem(`cannot read ${describeSource(file)}: ${(error as Error).message}`);
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function writeOut(file: string, output: string): Promise<void> {
  try {
    await writeFile(file, output);
  } catch (error) {
    throw new OutputProblem(`cannot write "${file}": ${(error as Error).message}`);
  }
}

function describeSource(file: string): string {
  return file === '-' ? 'stdin' : `"${file}"`;
}

/** npm's banner cannot be suppressed from here; at least say why the piped JSON is dirty. */
function warnIfNpmBannerOnStdout(): void {
  const viaNpm = process.env.npm_lifecycle_event === 'match' && process.env.npm_config_loglevel !== 'silent';
  if (viaNpm && !process.stdout.isTTY) {
    process.stderr.write('match: npm printed its banner on stdout; use `npm run --silent match -- …` or --out for clean JSON\n');
  }
}

main().then(
  () => {
    // exitCode rather than exit(): let a large stdout write drain before the process ends.
    process.exitCode = 0;
  },
  (error: unknown) => {
    if (error instanceof InputProblem) {
      process.stderr.write(`match: ${error.message}\n`);
      process.exitCode = 2;
    } else if (error instanceof OutputProblem) {
      process.stderr.write(`match: ${error.message}\n`);
      process.exitCode = 1;
    } else {
      const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
      process.stderr.write(`match: unexpected failure: ${detail}\n`);
      process.exitCode = 1;
    }
  },
);
