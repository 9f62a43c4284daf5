import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateInstance } from '../../bench/lib/matching-generate';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

interface Outcome {
  status: number | null;
  stdout: string;
  stderr: string;
}

function run(script: string, args: string[], stdin = ''): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn('npx', ['tsx', script, ...args], { cwd: repoRoot });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

const match = (args: string[], stdin?: string) => run('scripts/match.ts', args, stdin);

const instance = {
  candidates: [
    { id: 'c1', prefs: ['o1', 'o2'] },
    { id: 'c2', prefs: ['o1'] },
    { id: 'c3', prefs: ['o1', 'o2'] },
  ],
  openings: [
    { id: 'o1', capacity: 1, prefs: ['c3', 'c1', 'c2'] },
    { id: 'o2', capacity: 1, prefs: ['c1'] },
  ],
};
const expected = {
  assignments: [
    { candidate: 'c1', opening: 'o2' },
    { candidate: 'c3', opening: 'o1' },
  ],
  unmatched: ['c2'],
  stable: true,
};
const expectedStdout = `${JSON.stringify(expected, null, 2)}\n`;

let dir: string;
const file = (name: string) => join(dir, name);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kanryu-match-'));
  await writeFile(file('good.json'), JSON.stringify(instance));
  await writeFile(file('zero-capacity.json'), JSON.stringify({ ...instance, openings: [{ id: 'o1', capacity: 0, prefs: [] }] }));
  await writeFile(file('broken.json'), '{"candidates": [');
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('scripts/match.ts', () => {
  it('prints only the result JSON on stdout', async () => {
    const outcome = await match([file('good.json')]);
    expect(outcome.status).toBe(0);
    expect(outcome.stdout).toBe(expectedStdout);
    expect(JSON.parse(outcome.stdout)).toEqual(expected);
  });

  it('reads the instance from stdin with "-"', async () => {
    const outcome = await match(['-'], JSON.stringify(instance));
    expect(outcome.status).toBe(0);
    expect(outcome.stdout).toBe(expectedStdout);
  });

  it('prints the solve time on stderr with --time, leaving stdout clean', async () => {
    const outcome = await match([file('good.json'), '--time']);
    expect(outcome.status).toBe(0);
    expect(outcome.stdout).toBe(expectedStdout);
    expect(outcome.stderr).toMatch(/^match: solved in \d+\.\d ms$/m);
  });

  it('accepts regional caps and prints each region with its cap and seats filled', async () => {
    // o1 alone in a region capped at 0: c3 falls back to nothing it lists, c1 keeps o2.
    const capped = { ...instance, regions: [{ id: 'tokyo-area', openings: ['o1'], cap: 0 }] };
    const outcome = await match(['-'], JSON.stringify(capped));
    expect(outcome.status).toBe(0);
    expect(JSON.parse(outcome.stdout)).toEqual({
      assignments: [{ candidate: 'c1', opening: 'o2' }],
      unmatched: ['c2', 'c3'],
      stable: true,
      regions: [{ id: 'tokyo-area', cap: 0, filled: 0 }],
    });
    const misplaced = await match(['-'], JSON.stringify({ ...instance, regions: [{ id: 'r', openings: ['o1', 'o1'], cap: 1, targets: { o1: 2 } }] }));
    expect(misplaced.status).toBe(2);
    expect(misplaced.stderr).toContain('$.regions[0].openings[1]: "o1" is listed twice in this region');
    expect(misplaced.stderr).toContain("$.regions[0].targets.o1: target 2 is above the opening's capacity 1");
  });

  it('exits 2 with the location of the problem for a malformed instance', async () => {
    const outcome = await match([file('zero-capacity.json')]);
    expect(outcome.status).toBe(2);
    expect(outcome.stdout).toBe('');
    expect(outcome.stderr).toContain('is not a valid matching instance (3 problems)');
    expect(outcome.stderr).toContain('$.openings[0].capacity: capacity must be at least 1');
    expect(outcome.stderr).toContain('$.candidates[0].prefs[1]: "o2" is not the id of any opening');
    expect(outcome.stderr).toContain('$.candidates[2].prefs[1]: "o2" is not the id of any opening');
  });

  it('exits 2 for a file that is not JSON, and for one that cannot be read', async () => {
    const broken = await match([file('broken.json')]);
    expect(broken.status).toBe(2);
    expect(broken.stdout).toBe('');
    expect(broken.stderr).toContain('broken.json" is not valid JSON');

    const missing = await match([file('absent.json')]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('cannot read');
    expect(missing.stderr).toContain('ENOENT');
  });

  it('exits 2 with usage when no file is given', async () => {
    const outcome = await match([]);
    expect(outcome.status).toBe(2);
    expect(outcome.stderr).toContain('usage: tsx scripts/match.ts');
  });
});

describe('scripts/generate-match-instance.ts', () => {
  it('writes the same instance as generateInstance for the given options', async () => {
    const args = ['--candidates', '30', '--openings', '5', '--seats', '12', '--min-list', '1', '--max-list', '3', '--seed', '7'];
    const outcome = await run('scripts/generate-match-instance.ts', args);
    expect(outcome.status).toBe(0);
    const options = { candidates: 30, openings: 5, seats: 12, minList: 1, maxList: 3, seed: 7 };
    expect(outcome.stdout).toBe(`${JSON.stringify(generateInstance(options))}\n`);
  });

  it('exits 2 on options it cannot meet', async () => {
    const outcome = await run('scripts/generate-match-instance.ts', ['--openings', '10', '--seats', '5']);
    expect(outcome.status).toBe(2);
    expect(outcome.stderr).toContain('seats (5) must be at least openings (10)');
  });
});
