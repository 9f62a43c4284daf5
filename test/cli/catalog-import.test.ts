import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { seedBundledCatalog } from '../../shared/domain/catalog-seed';
import { call } from '../support/api';

const run = promisify(execFile);
const shippedCsv = readFileSync(new URL('../../shared/catalog/data/1.2/importance.csv', import.meta.url), 'utf8');
const dir = mkdtempSync(join(tmpdir(), 'kanryu-import-'));

async function importCsv(csv: string, ...args: string[]) {
  const file = join(dir, `m-${Math.random().toString(36).slice(2)}.csv`);
  writeFileSync(file, csv);
  try {
    const { stdout, stderr } = await run('npx', ['tsx', 'scripts/catalog-import.ts', file, ...args], { env: process.env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

beforeAll(async () => {
  await seedBundledCatalog(new Date());
});

describe('npm run catalog:import', () => {
  it('installs a valid matrix as a new version, marked official only when asked', async () => {
    const csv = shippedCsv.replace(/^(data-engineer,)([a-z-])/m, '$1a');
    const result = await importCsv(csv, '--version', '1.2-ipa', '--official', '--current');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('installed: 1.2-ipa');
    const overview = await call('GET', '/v1/catalog');
    expect(overview.json.current).toBe('1.2-ipa');
    const installed = await call('GET', '/v1/catalog/1.2-ipa');
    expect(installed.json.provisional).toBe(false);
    expect(installed.json.promotion.skills).toHaveLength(49);
  }, 60_000);

  it('reports every bad cell by row and column and installs nothing', async () => {
    const lines = shippedCsv.trimEnd().split(/\r?\n/);
    lines[2] = lines[2]!.replace(/,[a-z-](,|$)/, ',q$1');
    lines.splice(5, 1);
    const result = await importCsv(`${lines.join('\n')}\n`, '--version', '1.2-bad');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/row 3, column \d+: .*"q"/);
    expect(result.stderr).toMatch(/missing/i);
    expect(result.stderr).toContain('nothing installed');
    expect((await call('GET', '/v1/catalog/1.2-bad')).status).toBe(404);
  }, 60_000);
});
