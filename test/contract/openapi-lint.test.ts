import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkedInvoke } from '../support/api';

/**
 * The served /openapi.json passes two linters the project did not write: redocly's
 * recommended rules (redocly.yaml) and spectral's OpenAPI ruleset (.spectral.yaml). Each
 * departure from those rules is in its config file with the reason; anything else they
 * report, error or warning, fails here with their words.
 */
const root = fileURLToPath(new URL('../..', import.meta.url));
const run = promisify(execFile);
// No telemetry or update check: the run must not depend on the network.
const quiet = { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_COLOR: '1' };

async function lint(tool: string, args: string[]): Promise<string> {
  try {
    return (await run(join(root, 'node_modules/.bin', tool), args, { cwd: root, env: quiet, maxBuffer: 64 * 1024 * 1024 })).stdout;
  } catch (error) {
    // Both exit non-zero when they find something; their report is still on stdout.
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    if (stdout?.trim().startsWith('{') || stdout?.trim().startsWith('[')) return stdout;
    throw new Error(`${tool} did not run: ${stderr || stdout || String(error)}`);
  }
}

// Each linter starts a Node process of its own and reads the whole document: seconds, more on a busy machine.
const LINT_MS = 120_000;

let dir: string;
let file: string;

beforeAll(async () => {
  const served = await checkedInvoke({ method: 'GET', url: '/openapi.json', headers: {} });
  expect(served.statusCode).toBe(200);
  dir = mkdtempSync(join(tmpdir(), 'kanryu-openapi-lint-'));
  file = join(dir, 'openapi.json');
  writeFileSync(file, JSON.stringify(JSON.parse(served.body ?? ''), null, 2));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the OpenAPI document under lint', () => {
  it(
    'passes redocly lint (recommended) with no error or warning',
    async () => {
      const report = JSON.parse(await lint('redocly', ['lint', file, '--config', join(root, 'redocly.yaml'), '--format', 'json'])) as {
        totals: { errors: number; warnings: number };
        problems: { ruleId: string; severity: string; message: string; location: { pointer: string }[] }[];
      };
      const problems = report.problems.map((p) => `${p.severity} ${p.ruleId} ${p.location[0]?.pointer ?? ''}: ${p.message}`);
      expect(problems).toEqual([]);
      expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
    },
    LINT_MS,
  );

  it(
    "passes spectral's spectral:oas ruleset with no error or warning",
    async () => {
      const results = JSON.parse(await lint('spectral', ['lint', file, '--ruleset', join(root, '.spectral.yaml'), '--format', 'json', '--quiet'])) as {
        code: string;
        severity: number;
        message: string;
        path: string[];
      }[];
      // Severity 0 is an error, 1 a warning (2 and 3 are information and hints).
      const problems = results
        .filter((r) => r.severity <= 1)
        .map((r) => `${r.severity === 0 ? 'error' : 'warning'} ${r.code} ${r.path.join('.')}: ${r.message}`);
      expect(problems).toEqual([]);
    },
    LINT_MS,
  );
});
