import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { originalStack } from '../../shared/stack-trace';

/**
 * The functions run without --enable-source-maps (docs/benchmarks.md); the stack of an
 * error they log or throw is mapped from the bundle's map by shared/stack-trace.ts. Checked
 * end to end: a minified bundle with an external map, run by a plain `node`.
 */
describe('stack traces of a bundle run without --enable-source-maps', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kanryu-stack-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const stackTrace = fileURLToPath(new URL('../../shared/stack-trace.ts', import.meta.url));

  async function run(): Promise<{ raw: string; mapped: string; wrapped: string }> {
    writeFileSync(
      join(dir, 'job.ts'),
      [
        `import { originalStack, withOriginalStack } from ${JSON.stringify(stackTrace)};`,
        'async function fail(): Promise<never> {',
        "  throw new Error('boom');",
        '}',
        'const raw = await fail().catch((e: Error) => e.stack);',
        'const wrapped = await withOriginalStack(fail)().catch((e: Error) => e.stack);',
        'process.stdout.write(JSON.stringify({ raw, mapped: originalStack(raw), wrapped }));',
        '',
      ].join('\n'),
    );
    const outfile = join(dir, 'index.mjs');
    await build({
      entryPoints: [join(dir, 'job.ts')],
      outfile,
      bundle: true,
      format: 'esm',
      platform: 'node',
      minify: true,
      sourcemap: true,
      sourcesContent: false,
      logLevel: 'error',
    });
    const child = spawnSync(process.execPath, [outfile], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '', NODE_OPTIONS: '' } });
    expect(child.status, child.stderr).toBe(0);
    return JSON.parse(child.stdout) as { raw: string; mapped: string; wrapped: string };
  }

  it('maps bundled frames to the original file and line, in a log line and in a rethrown error', async () => {
    const { raw, mapped, wrapped } = await run();
    expect(raw).toMatch(/index\.mjs:\d+:\d+/);
    expect(raw).not.toMatch(/job\.ts/);
    for (const stack of [mapped, wrapped]) {
      expect(stack).toContain('boom');
      expect(stack).toMatch(/job\.ts:3:\d+/);
    }
  });

  it('leaves frames it has no map for as they are', () => {
    const stack = 'Error: x\n    at f (file:///nowhere/index.mjs:1:10)\n    at g (node:internal/x:2:3)';
    expect(originalStack(stack)).toBe(stack);
    expect(originalStack(undefined)).toBeUndefined();
  });
});
