import type { CatalogVersion } from '../catalog/model';
import { getCatalogVersion } from '../data/catalog';
import { invalid, notFound } from '../errors';

/**
 * Reading an installed catalog version, apart from installing one (./catalog.ts): the
 * domains that only read a catalog (openings, courses) then never load the catalog's
 * validation and its schemas at cold start.
 */
export async function requireCatalog(version: string): Promise<CatalogVersion> {
  const catalog = await getCatalogVersion(version);
  if (!catalog) throw notFound(`Catalog version "${version}" is not installed; GET /v1/catalog lists the installed ones.`);
  return catalog;
}

/**
 * The catalog version a request body names (in `field`). Only "not installed" is the
 * request's fault (422); any other failure of the lookup (throttling, an outage) is not,
 * and propagates as itself so the edge answers it as such (503 for a busy table).
 */
export async function catalogNamedIn(
  field: string,
  version: string,
  lookup: (version: string) => Promise<CatalogVersion | undefined> = getCatalogVersion,
): Promise<CatalogVersion> {
  const catalog = await lookup(version);
  if (!catalog) throw invalid(`${field}: catalog version "${version}" is not installed; GET /v1/catalog lists the installed ones.`);
  return catalog;
}
