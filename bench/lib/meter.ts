import { createRequire } from 'node:module';
import { DynamoDBClient, GetItemCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { mainTable } from '../../shared/data/table';

/**
 * The bench's own SDK middleware, added to the product's shared client in the bench
 * process (never in product code). On every command it:
 *  - asks ReturnConsumedCapacity: 'TOTAL' and sums output.ConsumedCapacity (an array for
 *    batch operations), split into read and write units;
 *  - counts items returned, and failed conditional writes;
 *  - optionally captures the document-level input, so a sequence can be replayed;
 *  - optionally models what dynalite leaves out: global-secondary-index writes and
 *    failed conditional writes, which DynamoDB bills but dynalite does not report
 *    (dynalite reports the base-table units only, and nothing for a failed condition).
 *    The model reads the item before and after each single-item write with a separate
 *    client (not metered) and applies DynamoDB's rules: per index, a new index entry is
 *    one write of its size, a removed one a delete, a changed key a delete plus a put,
 *    a changed projected attribute (every index projects ALL) one write; sizes rounded
 *    up to 1 KB. A failed conditional write costs the existing item's size, at least 1.
 */
const require = createRequire(import.meta.url);
const { itemSize } = require('dynalite/db') as { itemSize(item: Record<string, AttributeValue>): number };

type Input = Record<string, unknown>;
type Output = Record<string, unknown>;
type Next = (args: { input: Input }) => Promise<{ output: Output }>;
type Middleware = (next: Next, context: { commandName?: string }) => (args: { input: Input }) => Promise<{ output: Output }>;
interface Stack {
  add(middleware: Middleware, options: { step: 'initialize'; name: string; priority?: 'high' | 'normal' | 'low'; override?: boolean }): void;
}

const READS = new Set(['GetItemCommand', 'BatchGetItemCommand', 'QueryCommand', 'ScanCommand']);
const SINGLE_WRITES = new Set(['PutItemCommand', 'UpdateItemCommand', 'DeleteItemCommand']);

export interface OpRecord {
  seq: number;
  command: string;
  /** What the operation touched, e.g. "completion", "pool entry", "aggregate item". */
  kind: string;
  readUnits: number;
  /** Base-table write units as DynamoDB (here dynalite) reports them. */
  writeUnits: number;
  /** Modeled global-secondary-index write units (0 unless the index model is on). */
  indexWriteUnits: number;
  /** Modeled units of a failed conditional write (dynalite reports none). */
  failedConditionUnits: number;
  items: number;
  /** Size of the item written (after the write; before it for a delete), when the model is on. */
  itemBytes?: number;
  error?: string;
  /** Started while another metered command was still in flight. */
  overlapped: boolean;
  input?: Input;
}

export interface KindTotals {
  ops: number;
  readUnits: number;
  writeUnits: number;
  indexWriteUnits: number;
  failedConditionUnits: number;
}

export interface Totals extends KindTotals {
  reads: number;
  writes: number;
  items: number;
  failedConditions: number;
  byCommand: Record<string, number>;
  byKind: Record<string, KindTotals>;
}

/** All modeled write units: base table + indexes + failed conditions. */
export const billedWriteUnits = (t: KindTotals) => t.writeUnits + t.indexWriteUnits + t.failedConditionUnits;

function keyLabel(pk: string, sk: string | undefined): string {
  if (pk.startsWith('AGG#RUNNER#')) return 'aggregation runner state (lease, manifest)';
  if (pk.startsWith('AGG#')) return 'aggregate item';
  if (pk.startsWith('LEARNER#')) {
    if (!sk) return 'learner partition';
    if (sk.startsWith('COMPLETION#')) return 'completion';
    if (sk.startsWith('QUALIFICATION#')) return 'qualification';
    if (sk === 'PROFILE') return 'learner profile';
    if (sk === 'SKILLS') return 'learner skills';
    if (sk === 'DERIVATION') return 'derivation sequence';
    if (sk === 'POOLS') return 'published pools';
    return `learner ${sk.split('#')[0]}`;
  }
  if (pk.startsWith('POOL#')) return 'pool entry';
  if (pk.startsWith('POOLCHANGES#')) return 'pool change log';
  if (pk.startsWith('SHORTLIST#')) return 'shortlist';
  if (pk.startsWith('COURSES#')) return 'course index item';
  if (pk.startsWith('COURSE#')) return 'course';
  if (pk === 'CATALOG') return sk === 'CURRENT' ? 'catalog current pointer' : 'catalog version summary';
  if (pk.startsWith('CATALOG#')) return 'catalog document';
  if (pk.startsWith('IDEMPOTENCY#')) return 'idempotency record';
  if (pk.startsWith('AUDIT#')) return 'audit event';
  if (pk.startsWith('OPENING#')) return 'opening';
  if (pk.startsWith('PERSONAL#')) return 'learner contact';
  if (pk.startsWith('ORG#')) return 'organisation';
  return pk.split('#')[0] ?? pk;
}

const str = (value: unknown) => (typeof value === 'string' ? value : undefined);

function singleKey(command: string, input: Input): { pk: string; sk: string } | undefined {
  const source = (command === 'PutItemCommand' ? input.Item : input.Key) as Record<string, unknown> | undefined;
  const pk = str(source?.pk);
  const sk = str(source?.sk);
  return pk !== undefined && sk !== undefined ? { pk, sk } : undefined;
}

export function kindOf(command: string, input: Input): string {
  const key = singleKey(command, input);
  if (key) return keyLabel(key.pk, key.sk);
  if (command === 'QueryCommand') {
    if (input.IndexName === 'pending') return 'pending index (query)';
    const values = (input.ExpressionAttributeValues ?? {}) as Record<string, unknown>;
    const pk = str(values[':pk']) ?? Object.values(values).map(str).find(Boolean);
    const label = pk ? keyLabel(pk, str(values[':prefix'])) : 'query';
    return `${label} (query${input.IndexName ? ` ${String(input.IndexName)}` : ''})`;
  }
  if (command === 'BatchGetItemCommand' || command === 'BatchWriteItemCommand') {
    const requests = Object.values((input.RequestItems ?? {}) as Record<string, unknown>)[0] as
      | { Keys?: Record<string, unknown>[] }
      | Record<string, Record<string, Record<string, unknown>>>[]
      | undefined;
    const first = Array.isArray(requests) ? (requests[0]?.PutRequest?.Item ?? requests[0]?.DeleteRequest?.Key) : requests?.Keys?.[0];
    const pk = str(first?.pk);
    return `${pk ? keyLabel(pk, str(first?.sk)) : 'items'} (batch)`;
  }
  return command.replace(/Command$/, '');
}

function consumed(output: Output): number {
  const capacity = output.ConsumedCapacity as { CapacityUnits?: number } | { CapacityUnits?: number }[] | undefined;
  if (!capacity) return 0;
  return (Array.isArray(capacity) ? capacity : [capacity]).reduce((n, c) => n + (c.CapacityUnits ?? 0), 0);
}

function itemsIn(output: Output): number {
  if (typeof output.Count === 'number') return output.Count;
  if (output.Item) return 1;
  if (output.Responses && typeof output.Responses === 'object') {
    return Object.values(output.Responses as Record<string, unknown[]>).reduce((n, list) => n + (Array.isArray(list) ? list.length : 0), 0);
  }
  return 0;
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object' && !(value instanceof Uint8Array)) {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

const kilobytes = (item: Record<string, AttributeValue>) => Math.max(1, Math.ceil(itemSize(item) / 1024));

/** Write units DynamoDB bills on the global secondary indexes for one item change. */
export function indexWriteUnits(before: Record<string, AttributeValue> | undefined, after: Record<string, AttributeValue> | undefined): number {
  if (!before && !after) return 0;
  const changed = !before || !after || canonical(before) !== canonical(after);
  let units = 0;
  for (const index of mainTable.indexes) {
    const keyOf = (item: Record<string, AttributeValue> | undefined) => {
      const p = item?.[index.partitionKey]?.S;
      const s = item?.[index.sortKey]?.S;
      return p !== undefined && s !== undefined ? `${p}\u0000${s}` : undefined;
    };
    const was = keyOf(before);
    const is = keyOf(after);
    if (!was && !is) continue;
    if (was && !is) units += kilobytes(before!);
    else if (!was && is) units += kilobytes(after!);
    else if (was !== is) units += kilobytes(before!) + kilobytes(after!);
    else if (changed) units += Math.max(kilobytes(before!), kilobytes(after!));
  }
  return units;
}

export function sizeOf(item: Record<string, AttributeValue>): number {
  return itemSize(item);
}

export class Meter {
  readonly records: OpRecord[] = [];
  enabled = true;
  /** Keep each command's input (for a replay). */
  capture = false;
  /** Ask DynamoDB for ConsumedCapacity (off when only counting or capturing). */
  returnCapacity = true;
  private inFlight = 0;
  private model: DynamoDBClient | undefined;

  /** Adds the middleware to a client's stack (the document client shares its stack with the base client). */
  install(client: { middlewareStack: unknown }): this {
    (client.middlewareStack as Stack).add(this.middleware, { step: 'initialize', name: 'kanryuBenchMeter', priority: 'high', override: true });
    return this;
  }

  /** Turns on the index and failed-condition model (extra unmetered reads: not for timing runs). */
  modelIndexes(endpoint: string, region: string): this {
    this.model = new DynamoDBClient({ endpoint, region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    return this;
  }

  close() {
    this.model?.destroy();
  }

  mark(): number {
    return this.records.length;
  }

  slice(from: number, to = this.records.length): OpRecord[] {
    return this.records.slice(from, to);
  }

  totals(from = 0, to = this.records.length): Totals {
    return totalsOf(this.records.slice(from, to));
  }

  private async readRaw(tableName: unknown, key: { pk: string; sk: string }) {
    const { Item } = await this.model!.send(
      new GetItemCommand({ TableName: String(tableName), Key: { pk: { S: key.pk }, sk: { S: key.sk } }, ConsistentRead: true }),
    );
    return Item;
  }

  private readonly middleware: Middleware = (next, context) => async (args) => {
    if (!this.enabled) return next(args);
    const command = context.commandName ?? 'unknown';
    const input = args.input;
    const record: OpRecord = {
      seq: this.records.length,
      command,
      kind: kindOf(command, input),
      readUnits: 0,
      writeUnits: 0,
      indexWriteUnits: 0,
      failedConditionUnits: 0,
      items: 0,
      overlapped: this.inFlight > 0,
      ...(this.capture ? { input: structuredClone(input) } : {}),
    };
    this.records.push(record);
    this.inFlight++;
    const key = this.model && SINGLE_WRITES.has(command) ? singleKey(command, input) : undefined;
    try {
      const before = key ? await this.readRaw(input.TableName, key) : undefined;
      try {
        const result = await next(this.returnCapacity ? { ...args, input: { ...input, ReturnConsumedCapacity: 'TOTAL' } } : args);
        const units = consumed(result.output);
        if (READS.has(command)) record.readUnits = units;
        else record.writeUnits = units;
        record.items = itemsIn(result.output);
        if (key) {
          const after = await this.readRaw(input.TableName, key);
          record.indexWriteUnits = indexWriteUnits(before, after);
          const written = after ?? before;
          if (written) record.itemBytes = itemSize(written);
        }
        return result;
      } catch (error) {
        record.error = error instanceof Error ? error.name : 'unknown';
        if (record.error === 'ConditionalCheckFailedException') record.failedConditionUnits = before ? kilobytes(before) : 1;
        throw error;
      }
    } finally {
      this.inFlight--;
    }
  };
}

export function totalsOf(records: readonly OpRecord[]): Totals {
  const totals: Totals = {
    ops: 0,
    reads: 0,
    writes: 0,
    readUnits: 0,
    writeUnits: 0,
    indexWriteUnits: 0,
    failedConditionUnits: 0,
    failedConditions: 0,
    items: 0,
    byCommand: {},
    byKind: {},
  };
  for (const r of records) {
    totals.ops++;
    if (READS.has(r.command)) totals.reads++;
    else totals.writes++;
    totals.readUnits += r.readUnits;
    totals.writeUnits += r.writeUnits;
    totals.indexWriteUnits += r.indexWriteUnits;
    totals.failedConditionUnits += r.failedConditionUnits;
    if (r.error === 'ConditionalCheckFailedException') totals.failedConditions++;
    totals.items += r.items;
    totals.byCommand[r.command] = (totals.byCommand[r.command] ?? 0) + 1;
    const kind = (totals.byKind[r.kind] ??= { ops: 0, readUnits: 0, writeUnits: 0, indexWriteUnits: 0, failedConditionUnits: 0 });
    kind.ops++;
    kind.readUnits += r.readUnits;
    kind.writeUnits += r.writeUnits;
    kind.indexWriteUnits += r.indexWriteUnits;
    kind.failedConditionUnits += r.failedConditionUnits;
  }
  return totals;
}
