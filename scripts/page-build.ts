import { writePage } from '../infra/page/build';

/** `npm run page:build [-- out/dir]`: the progress page, bundled, in dist/page/ for `aws s3 sync` (README, Deploy). */
const outDir = process.argv[2] ?? 'dist/page';
const assets = await writePage(outDir);
for (const asset of assets.filter((a) => a.path !== '/')) console.error(`${outDir}${asset.path}  ${asset.body.length} bytes`);
