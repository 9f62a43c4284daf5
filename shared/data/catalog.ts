import { createHash } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { CatalogVersion } from '../catalog/model';
import { db, table } from './client';
import { keys } from './keys';

export interface CatalogVersionSummary {
  version: string;
  label: string;
  provisional: boolean;
  installedAt: string;
  contentHash: string;
  counts: { literacyItems: number; roles: number; skills: number; types: number };
}

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
        TableName: table,
        Item: { ...keys.catalogDocument(catalog.version), contentHash: hash, document: JSON.stringify(catalog) },
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
        TableName: table,
        Item: { ...keys.catalogVersion(catalog.version), ...summary },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return 'installed';
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) {
      const winner = await getCatalogSummary(catalog.version);
      return winner?.contentHash === hash ? 'unchanged' : 'conflict';
    }
    throw error;
  }
}

export async function getCatalogSummary(version: string): Promise<CatalogVersionSummary | undefined> {
  const { Item } = await db.send(new GetCommand({ TableName: table, Key: keys.catalogVersion(version) }));
  if (!Item) return undefined;
  const { pk: _pk, sk: _sk, ...summary } = Item;
  return summary as CatalogVersionSummary;
}

export async function getCatalogVersion(version: string): Promise<CatalogVersion | undefined> {
  const cached = documents.get(version);
  if (cached) return cached;
  // The summary is written last: a document without one is a half-finished install.
  if (!(await getCatalogSummary(version))) return undefined;
  const { Item } = await db.send(new GetCommand({ TableName: table, Key: keys.catalogDocument(version) }));
  if (!Item) return undefined;
  const catalog = JSON.parse(Item.document as string) as CatalogVersion;
  documents.set(version, catalog);
  return catalog;
}

/** All installed versions, oldest first. The list is short (a few per year). */
export async function listCatalogVersions(): Promise<CatalogVersionSummary[]> {
  const { pk, skPrefix } = keys.catalogVersionsPartition();
  const summaries: CatalogVersionSummary[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await db.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': pk, ':prefix': skPrefix },
        ExclusiveStartKey: startKey,
      }),
    );
    for (const { pk: _pk, sk: _sk, ...summary } of page.Items ?? []) summaries.push(summary as CatalogVersionSummary);
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return summaries.sort((a, b) => a.installedAt.localeCompare(b.installedAt) || a.version.localeCompare(b.version));
}

let currentCache: { version: string | undefined; at: number } | undefined;

/**
 * The current version. Hot paths (derivations) may accept a value up to `maxAgeMs` old:
 * the current version changes a few times a year.
 */
export async function getCurrentCatalogVersion(options: { maxAgeMs?: number } = {}): Promise<string | undefined> {
  if (options.maxAgeMs && currentCache && Date.now() - currentCache.at < options.maxAgeMs) return currentCache.version;
  const { Item } = await db.send(new GetCommand({ TableName: table, Key: keys.catalogCurrent() }));
  currentCache = { version: Item?.version as string | undefined, at: Date.now() };
  return currentCache.version;
}

export async function setCurrentCatalogVersion(version: string, now: Date): Promise<void> {
  await db.send(new PutCommand({ TableName: table, Item: { ...keys.catalogCurrent(), version, since: now.toISOString() } }));
}
