import type { CatalogVersion } from './model';
import { catalogVersionFromFiles } from './validate';
import catalog12 from './data/1.2/catalog.json' with { type: 'json' };
// The CSV arrives as a generated TS string module (scripts/catalog-embed.ts) rather than a
// bundler text loader or fs read: tsx, vitest and esbuild all import .ts the same way, the
// Lambda bundle needs no asset files, and a test fails if the module drifts from the CSV.
// The module is not named importance.csv.ts because esbuild would resolve the extensionless
// "./importance.csv" to the CSV file itself.
import { importanceCsv as importance12 } from './data/1.2/importance-csv';

/** The catalog version new data is tagged with unless a newer one is loaded at runtime. */
export const currentBundledVersion = '1.2';

const shipped: { structure: unknown; importanceCsv: string }[] = [{ structure: catalog12, importanceCsv: importance12 }];

let loaded: CatalogVersion[] | undefined;

/** Every version shipped in ./data, validated once and shared: treat the documents as read-only. */
export function bundledCatalogVersions(): CatalogVersion[] {
  loaded ??= shipped.map(({ structure, importanceCsv }) => {
    const result = catalogVersionFromFiles(structure, new TextEncoder().encode(importanceCsv));
    if (!result.ok) throw new Error(`a bundled catalog version is invalid:\n${result.errors.join('\n')}`);
    return result.catalog;
  });
  return [...loaded];
}
