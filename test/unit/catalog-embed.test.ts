import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bundledCatalogVersions } from '../../shared/catalog/bundled';
import { decodeCsvBytes } from '../../shared/catalog/matrix-csv';

const dataDir = fileURLToPath(new URL('../../shared/catalog/data/', import.meta.url));
const shippedVersions = readdirSync(dataDir, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(`${dataDir}${d.name}/importance.csv`))
  .map((d) => d.name);

describe('embedded importance CSV', () => {
  it('finds the shipped data folders', () => {
    expect(shippedVersions).toEqual(['1.2']);
  });

  it.each(shippedVersions)('%s: importance-csv.ts equals importance.csv (run npx tsx scripts/catalog-embed.ts)', async (version) => {
    const decoded = decodeCsvBytes(readFileSync(`${dataDir}${version}/importance.csv`));
    const embedded = (await import(`../../shared/catalog/data/${version}/importance-csv.ts`)) as { importanceCsv: string };
    expect(decoded.ok && decoded.text).toBe(embedded.importanceCsv);
  });

  it('every shipped folder is registered in bundled.ts', () => {
    expect(
      bundledCatalogVersions()
        .map((c) => c.version)
        .sort(),
    ).toEqual([...shippedVersions].sort());
  });
});
