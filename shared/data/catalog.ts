import { createHash } from 'node:crypto';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { CatalogVersion } from '../catalog/model';
import { db, table } from './client';
import { isConditionFailure, itemOf, partition, primary, recordOf } from './entity';
import { queryAll } from './query';

export interface CatalogVersionSummary {
  version: string;
  label: string;
  provisional: boolean;
  installedAt: string;
  contentHash: string;
  counts: { literacyItems: number; roles: number; skills: number; types: number };
}

/**
 * The catalog's items: per installed version a summary (in the one CATALOG partition, which
 * lists the versions) and the document itself (a partition of its own); and the pointer
 * to the current version.
 */
const catalogItems = {
  summary: { entity: 'catalog-version', key: (version: string) => ({ pk: 'CATALOG', sk: `VERSION#${version}` }) },
  summaries: () => partition(primary, 'CATALOG', 'VERSION#'),
  document: { entity: 'catalog-document', key: (version: string) => ({ pk: `CATALOG#${version}`, sk: 'DOCUMENT' }) },
  current: { entity: 'catalog-current', key: () => ({ pk: 'CATALOG', sk: 'CURRENT' }) },
};

/** Versions never change once installed, so a process may keep them for its lifetime. */
const documents = new Map<string, CatalogVersion>();

const contentHash = (catalog: CatalogVersion) => createHash('sha256').update(JSON.stringify(catalog)).digest('hex');

export type InstallOutcome = 'installed' | 'unchanged' | 'conflict';

/**
 * Installs a version: the document first, then its summary (which makes it visible in the
 * list). Both writes are conditional, so a retry after a crash between them completes the
 * install, and the same content installed twice is a no-op.
 */
export async function installCatalogVersion(catalog: CatalogVersion, now: Date): Promise<InstallOutcome> {
  const hash = contentHash(catalog);
  const existing = await getCatalogSummary(catalog.version);
  if (existing) return existing.contentHash === hash ? 'unchanged' : 'conflict';
  try {
    await db.send(
      new PutCommand({
        TableName: table(),
        Item: itemOf(catalogItems.document.entity, [catalogItems.document.key(catalog.version)], { contentHash: hash, document: JSON.stringify(catalog) }),
        ConditionExpression: 'attribute_not_exists(pk) OR contentHash = :hash',
        ExpressionAttributeValues: { ':hash': hash },
      }),
    );
    const summary: CatalogVersionSummary = {
      version: catalog.version,
      label: catalog.label,
      provisional: catalog.provisional,
      installedAt: now.toISOString(),
      contentHash: hash,
      counts: {
        literacyItems: catalog.literacy.items.length,
        roles: catalog.promotion.roles.length,
        skills: catalog.promotion.skills.length,
        types: catalog.promotion.types.length,
      },
    };
    await db.send(
      new PutCommand({
        TableName: table(),
        Item: itemOf(catalogItems.summary.entity, [catalogItems.summary.key(catalog.version)], summary),
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return 'installed';
  } catch (error) {
    if (isConditionFailure(error)) {
      const winner = await getCatalogSummary(catalog.version);
      return winner?.contentHash === hash ? 'unchanged' : 'conflict';
    }
    throw error;
  }
}

export async function getCatalogSummary(version: string): Promise<CatalogVersionSummary | undefined> {
  const { Item } = await db.send(new GetCommand({ TableName: table(), Key: catalogItems.summary.key(version) }));
  return Item ? recordOf<CatalogVersionSummary>(catalogItems.summary.entity, Item) : undefined;
}

export async function getCatalogVersion(version: string): Promise<CatalogVersion | undefined> {
  const cached = documents.get(version);
  if (cached) return cached;
  // The summary is written last: a document without one is a half-finished install.
  if (!(await getCatalogSummary(version))) return undefined;
  const { Item } = await db.send(new GetCommand({ TableName: table(), Key: catalogItems.document.key(version) }));
  if (!Item) return undefined;
  const { document } = recordOf<{ document: string }>(catalogItems.document.entity, Item);
  const parsed = JSON.parse(document) as CatalogVersion;
  documents.set(version, parsed);
  return parsed;
}

/** All installed versions, oldest first. The list is short (a few per year). */
export async function listCatalogVersions(): Promise<CatalogVersionSummary[]> {
  const items = await queryAll<Record<string, unknown>>({ partition: catalogItems.summaries() });
  const summaries = items.map((item) => recordOf<CatalogVersionSummary>(catalogItems.summary.entity, item));
  return summaries.sort((a, b) => a.installedAt.localeCompare(b.installedAt) || a.version.localeCompare(b.version));
}

let currentCache: { version: string | undefined; at: number } | undefined;

/**
 * The current version. Hot paths (derivations) may accept a value up to `maxAgeMs` old:
 * the current version changes a few times a year.
 */
export async function getCurrentCatalogVersion(options: { maxAgeMs?: number } = {}): Promise<string | undefined> {
  if (options.maxAgeMs && currentCache && Date.now() - currentCache.at < options.maxAgeMs) return currentCache.version;
  const { Item } = await db.send(new GetCommand({ TableName: table(), Key: catalogItems.current.key() }));
  currentCache = { version: Item ? recordOf<{ version: string }>(catalogItems.current.entity, Item).version : undefined, at: Date.now() };
  return currentCache.version;
}

export async function setCurrentCatalogVersion(version: string, now: Date): Promise<void> {
  await db.send(
    new PutCommand({ TableName: table(), Item: itemOf(catalogItems.current.entity, [catalogItems.current.key()], { version, since: now.toISOString() }) }),
  );
}
