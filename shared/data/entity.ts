import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { mainTable, type IndexName } from './table';

/**
 * What the entity modules of shared/data/ build on. Each module (completions.ts,
 * openings.ts, …) declares at its top, in one object, its entity name, its key and its
 * named access patterns (the partitions it is read by, on the table or on an index, the
 * way ElectroDB declares `indexes`); nothing outside its module builds its keys, and
 * nothing outside shared/data/ names an index or a key attribute.
 *
 * Every item written carries its entity name in the `entity` attribute, and every item
 * read back is checked to carry the expected one: code decides what a record is from
 * that attribute, never by parsing a key. (Not `kind`: organisations have a `kind` of
 * their own.)
 *
 * Conditional writes stay hand-written expressions in the modules (the aggregation's
 * lease and chunk markers, seat claims, versioned updates): each condition is the
 * correctness argument of its protocol and reads best as written, on stored shapes an
 * entity library would change.
 */
export const ENTITY_ATTRIBUTE = 'entity';

/** The table or one of its indexes, with its key attribute names. */
export interface AccessPath {
  /** undefined: the table itself. */
  readonly name: IndexName | undefined;
  readonly partitionKey: string;
  readonly sortKey: string;
}

export const primary: AccessPath = { name: undefined, partitionKey: mainTable.partitionKey, sortKey: mainTable.sortKey };

/** An index of the table by name, with its key attribute names from the table definition. */
export function index(name: IndexName): AccessPath {
  const definition = mainTable.indexes.find((i) => i.name === name)!;
  return { name, partitionKey: definition.partitionKey, sortKey: definition.sortKey };
}

/** What a query reads: one partition on an access path, optionally only sort keys with a prefix. */
export interface Partition {
  on: AccessPath;
  value: string;
  sortKeyPrefix?: string;
}

export const partition = (on: AccessPath, value: string, sortKeyPrefix?: string): Partition => ({
  on,
  value,
  ...(sortKeyPrefix !== undefined ? { sortKeyPrefix } : {}),
});

/** An item's key attributes on an access path (its table key, or its entry in an index). */
export const keyOn = (on: AccessPath, partitionValue: string, sortValue: string): Record<string, string> => ({
  [on.partitionKey]: partitionValue,
  [on.sortKey]: sortValue,
});

/** The table key of an item read (to update or delete exactly that item). */
export const tableKeyOf = (item: Record<string, unknown>): { pk: string; sk: string } => ({
  pk: item[mainTable.partitionKey] as string,
  sk: item[mainTable.sortKey] as string,
});

/** The item to write: keys (table and indexes), the record, and the entity name. */
export function itemOf<T extends object>(entity: string, keys: readonly Record<string, unknown>[], record: T): Record<string, unknown> {
  return Object.assign({}, ...keys, record, { [ENTITY_ATTRIBUTE]: entity });
}

/**
 * Attributes the table keeps for its own bookkeeping (keys, index keys, the entity name,
 * the aggregation's pending mark and counted contribution): never part of a record.
 */
const BOOKKEEPING = new Set<string>([
  mainTable.partitionKey,
  mainTable.sortKey,
  ...mainTable.indexes.flatMap((i) => [i.partitionKey, i.sortKey]),
  ENTITY_ATTRIBUTE,
  'countedVersion',
  'counted',
]);

export const entityOf = (item: Record<string, unknown>) => item[ENTITY_ATTRIBUTE] as string | undefined;

/**
 * The record an item holds, once the item is known to be one of `entity`; bookkeeping
 * attributes (and `alsoDrop`) removed. An item of another entity, or one stored before
 * items carried their entity, is an error, not a silent cast.
 */
export function recordOf<T>(entity: string, item: Record<string, unknown>, alsoDrop: readonly string[] = []): T {
  if (entityOf(item) !== entity) {
    throw new Error(
      `Expected a ${entity} item at ${String(item[mainTable.partitionKey])} / ${String(item[mainTable.sortKey])}, found ${entityOf(item) ?? 'an item without an entity name (stored before entities were named: reset the local store)'}`,
    );
  }
  return Object.fromEntries(Object.entries(item).filter(([name]) => !BOOKKEEPING.has(name) && !alsoDrop.includes(name))) as T;
}

/** A conditional write whose condition did not hold (the one error a caller turns into an answer). */
export const isConditionFailure = (error: unknown): boolean => error instanceof ConditionalCheckFailedException;
