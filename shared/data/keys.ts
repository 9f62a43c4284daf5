/**
 * Every key of the single table is built here; handlers and domain code never paste
 * key strings. Sort keys that must order by time or number use fixed-width parts.
 */
export const keys = {
  catalogVersion: (version: string) => ({ pk: 'CATALOG', sk: `VERSION#${version}` }),
  catalogVersionsPartition: () => ({ pk: 'CATALOG', skPrefix: 'VERSION#' }),
  catalogDocument: (version: string) => ({ pk: `CATALOG#${version}`, sk: 'DOCUMENT' }),
  catalogCurrent: () => ({ pk: 'CATALOG', sk: 'CURRENT' }),
};
