import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/** One file of the built page: its URL path, media type, bytes and how long a cache may keep it. */
export interface PageAsset {
  path: string;
  contentType: string;
  body: Buffer;
  cacheControl: string;
}

const source = join(dirname(fileURLToPath(import.meta.url)), '../../web/progress');

/**
 * Bundles the progress page with esbuild, as the functions are bundled: one script and one
 * style sheet named by their content hash (kept a year by caches), and the HTML that names
 * them at `/`, `/index.html` and `/progress` (kept a minute, so a new release shows soon).
 */
export async function buildPage(): Promise<PageAsset[]> {
  const result = await build({
    entryPoints: { app: join(source, 'main.ts') },
    bundle: true,
    minify: true,
    format: 'esm',
    target: ['es2020', 'chrome100', 'safari15', 'firefox100'],
    outdir: '/assets',
    entryNames: '[name]-[hash]',
    write: false,
    legalComments: 'linked',
    logLevel: 'silent',
  });
  const assets: PageAsset[] = result.outputFiles.map((file) => ({
    path: file.path,
    contentType: file.path.endsWith('.css')
      ? 'text/css; charset=utf-8'
      : file.path.endsWith('.js')
        ? 'text/javascript; charset=utf-8'
        : 'text/plain; charset=utf-8',
    body: Buffer.from(file.contents),
    cacheControl: 'public, max-age=31536000, immutable',
  }));
  const script = assets.find((a) => /^\/assets\/app-\w+\.js$/.test(a.path))!.path;
  const style = assets.find((a) => /^\/assets\/app-\w+\.css$/.test(a.path))!.path;
  const html = (await readFile(join(source, 'index.html'), 'utf8')).replace('%SCRIPT%', script).replace('%STYLE%', style);
  const page = { contentType: 'text/html; charset=utf-8', body: Buffer.from(html), cacheControl: 'public, max-age=60' };
  return [...['/', '/index.html', '/progress'].map((path) => ({ path, ...page })), ...assets];
}

/**
 * Writes the page for `aws s3 sync` (README, Deploy): index.html, progress (the same HTML,
 * uploaded with its media type by the documented command) and assets/.
 */
export async function writePage(outDir: string): Promise<PageAsset[]> {
  const assets = await buildPage();
  await rm(outDir, { recursive: true, force: true });
  for (const asset of assets) {
    if (asset.path === '/') continue;
    const file = join(outDir, asset.path);
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, asset.body);
  }
  return assets;
}
