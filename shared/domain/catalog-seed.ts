import { bundledCatalogVersions, currentBundledVersion } from '../catalog/bundled';
import { getCurrentCatalogVersion, installCatalogVersion, setCurrentCatalogVersion } from '../data/catalog';
import { seedBundledRules } from './counting-rules';

/**
 * Installs the catalog versions (and counting rules) shipped with the code (idempotent: run at every local
 * start and after every deploy) and makes the shipped current version current when no
 * operator has chosen one.
 */
export async function seedBundledCatalog(now: Date): Promise<{ installed: string[] }> {
  const installed: string[] = [];
  for (const catalog of bundledCatalogVersions()) {
    const outcome = await installCatalogVersion(catalog, now);
    if (outcome === 'installed') installed.push(catalog.version);
    // A conflict means an operator installed different content under a shipped id: theirs stays.
  }
  if (!(await getCurrentCatalogVersion())) await setCurrentCatalogVersion(currentBundledVersion, now);
  // The shipped counting rules too: the derivation reads them from the table.
  await seedBundledRules(now);
  return { installed };
}
