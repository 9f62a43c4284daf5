import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { db, table } from '../../shared/data/client';

/**
 * The whole table as `pk|sk` -> canonical JSON of the item, read with a consistent Scan,
 * so the security suites can prove that a refused request changed nothing at all.
 */
export type Snapshot = Map<string, string>;

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value instanceof Set) return [...value].map(canonical).sort();
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, canonical((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}

export async function snapshotTable(): Promise<Snapshot> {
  const items: Snapshot = new Map();
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await db.send(new ScanCommand({ TableName: table(), ConsistentRead: true, ExclusiveStartKey: startKey }));
    for (const item of page.Items ?? []) items.set(`${item.pk}|${item.sk}`, JSON.stringify(canonical(item)));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}

export interface SnapshotDiff {
  added: { key: string; item: any }[];
  removed: { key: string; item: any }[];
  changed: { key: string; before: any; after: any }[];
}

export function diffSnapshots(before: Snapshot, after: Snapshot): SnapshotDiff {
  const diff: SnapshotDiff = { added: [], removed: [], changed: [] };
  for (const [key, item] of after) {
    const old = before.get(key);
    if (old === undefined) diff.added.push({ key, item: JSON.parse(item) });
    else if (old !== item) diff.changed.push({ key, before: JSON.parse(old), after: JSON.parse(item) });
  }
  for (const [key, item] of before) if (!after.has(key)) diff.removed.push({ key, item: JSON.parse(item) });
  return diff;
}

export const isEmptyDiff = (diff: SnapshotDiff) => diff.added.length + diff.removed.length + diff.changed.length === 0;

/** A short, readable account of a diff for assertion messages. */
export function describeDiff(diff: SnapshotDiff, max = 5): string {
  const lines = [
    ...diff.added.slice(0, max).map((d) => `+ ${d.key} ${JSON.stringify(d.item).slice(0, 300)}`),
    ...diff.removed.slice(0, max).map((d) => `- ${d.key}`),
    ...diff.changed.slice(0, max).map((d) => `~ ${d.key} ${JSON.stringify(d.after).slice(0, 300)}`),
  ];
  return `${diff.added.length} added, ${diff.removed.length} removed, ${diff.changed.length} changed\n${lines.join('\n')}`;
}
