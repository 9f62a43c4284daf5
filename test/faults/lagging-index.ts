import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { db, table } from '../../shared/data/client';
import { mainTable } from '../../shared/data/table';

/**
 * A test seam for what dynalite never shows: DynamoDB's global secondary indexes are
 * eventually consistent, and so is any table read that does not ask for ConsistentRead.
 * `freezeIndexes()` makes every index query (and, with `eventuallyConsistentReads`, every
 * table read without ConsistentRead) answer as if no write since the freeze had reached it;
 * writes and consistent reads go on normally; `thawIndexes()` ends it.
 *
 * It is an SDK middleware on the product's one document client (`db.middlewareStack`, the
 * hook the benchmarks' capacity meter uses), so the product carries no test code. At the
 * freeze nothing is copied. From then on, before a write (Put, Update, Delete, BatchWrite)
 * goes through, the item it touches is read consistently once, and that image (or its
 * absence) is kept: the item as it was at the freeze. A lagging read is answered by
 * dynalite, then corrected: every item written since the freeze is taken out of the
 * answer, and its image at the freeze is put back wherever that read would have found it
 * (the key condition, the page's range, the index projection, the Limit), so an item
 * moved between index partitions (an opening closed) is still in its old one, an item
 * created since is in none, and an updated one shows its old attributes.
 *
 * Limits (it throws on what it does not model, rather than answer wrongly):
 * - all-or-nothing: every write since the freeze is missing from every lagging read; a real
 *   index lags per item and may show some writes and not others (a state this one does not
 *   reach, but correctness arguments do not depend on which writes arrive first);
 * - key conditions `=`, `<`, `<=`, `>`, `>=`, `BETWEEN`, `begins_with` joined by AND; no
 *   FilterExpression on a lagging read; ProjectionExpression of top-level names only;
 * - scans pass through unchanged (the product scans only in recounts and admin tools);
 * - items with equal index sort keys are ordered by table key (DynamoDB leaves it open);
 * - this process's client only: the API called in process (test/support/api.ts).
 */

type Item = Record<string, unknown>;
type Input = Record<string, any>;
type Stack = { add(middleware: unknown, options: Record<string, unknown>): void };
type Handler = (args: { input: Input }) => Promise<{ output: Record<string, any>; response?: unknown }>;

export interface LagOptions {
  /** Also answer table reads without ConsistentRead (GetItem, BatchGetItem, Query) from the frozen images. */
  eventuallyConsistentReads?: boolean;
}

interface Frozen {
  options: LagOptions;
  /** Image at the freeze (undefined: no item) of every table key written since, by `pk\0sk`. */
  images: Map<string, Promise<Item | undefined>>;
}

let frozen: Frozen | undefined;
let installed = false;
let lagged = 0;

const { partitionKey: PK, sortKey: SK } = mainTable;
const keyString = (item: Item) => `${String(item[PK])}\u0000${String(item[SK])}`;
const tableKey = (item: Item) => ({ [PK]: item[PK], [SK]: item[SK] });

/** From now on, index queries answer from the table as it stands now (see above). */
export function freezeIndexes(options: LagOptions = {}): void {
  if (!installed) {
    (db.middlewareStack as unknown as Stack).add(middleware, { step: 'initialize', name: 'kanryuLaggingIndexes', priority: 'high', override: true });
    installed = true;
  }
  frozen = { options, images: new Map() };
}

/** Indexes catch up: every read sees every write again. */
export function thawIndexes(): void {
  frozen = undefined;
}

/** How many items lagging reads have hidden, added or answered stale so far (a scenario asserts it lagged at all). */
export const laggedItems = (): number => lagged;

const middleware = (next: Handler, context: { commandName?: string }) => async (args: { input: Input }) => {
  const state = frozen;
  if (!state) return next(args);
  const input = args.input;
  const eventual = state.options.eventuallyConsistentReads === true;
  switch (context.commandName) {
    case 'PutItemCommand':
      remember(state, [input.Item]);
      break;
    case 'UpdateItemCommand':
    case 'DeleteItemCommand':
      remember(state, [input.Key]);
      break;
    case 'BatchWriteItemCommand':
      remember(
        state,
        (input.RequestItems[table()] ?? []).map((r: Input) => r.PutRequest?.Item ?? r.DeleteRequest?.Key),
      );
      break;
    case 'QueryCommand':
      if (input.IndexName || (eventual && !input.ConsistentRead)) return lagQuery(state, next, args);
      return next(args);
    case 'GetItemCommand':
      if (eventual && !input.ConsistentRead) return lagGet(state, next, args);
      return next(args);
    case 'BatchGetItemCommand':
      if (eventual && !input.RequestItems[table()]?.ConsistentRead) return lagBatchGet(state, next, args);
      return next(args);
    case 'TransactWriteItemsCommand':
    case 'TransactGetItemsCommand':
      throw new Error('lagging-index seam: transactions are not modelled');
    default:
      return next(args);
  }
  // A write: its image at the freeze is read before the write can change it.
  await Promise.all([...state.images.values()]);
  return next(args);
};

function remember(state: Frozen, keys: Item[]) {
  for (const key of keys) {
    const id = keyString(key);
    if (state.images.has(id)) continue;
    // Set before anything is awaited: a second write of the same key waits for this image.
    state.images.set(
      id,
      db.send(new GetCommand({ TableName: table(), Key: tableKey(key), ConsistentRead: true })).then(({ Item }) => Item),
    );
  }
}

async function settled(state: Frozen): Promise<Map<string, Item | undefined>> {
  const entries = [...state.images.entries()];
  const values = await Promise.all(entries.map(([, image]) => image));
  return new Map(entries.map(([id], i) => [id, values[i]]));
}

// DynamoDB orders string keys by their UTF-8 bytes.
const compareStrings = (a: unknown, b: unknown) => Buffer.compare(Buffer.from(String(a)), Buffer.from(String(b)));

interface Path {
  partitionKey: string;
  sortKey: string;
  keysOnly: boolean;
}

function pathOf(input: Input): Path {
  if (!input.IndexName) return { partitionKey: PK, sortKey: SK, keysOnly: false };
  const index = mainTable.indexes.find((i) => i.name === input.IndexName);
  if (!index) throw new Error(`lagging-index seam: unknown index ${input.IndexName}`);
  return { partitionKey: index.partitionKey, sortKey: index.sortKey, keysOnly: index.projection === 'KEYS_ONLY' };
}

/** The key condition of a query as a predicate on an item. */
function keyCondition(input: Input): (item: Item) => boolean {
  const names: Record<string, string> = input.ExpressionAttributeNames ?? {};
  const values: Record<string, unknown> = input.ExpressionAttributeValues ?? {};
  const name = (token: string) => (token.startsWith('#') ? names[token]! : token);
  const tests: ((item: Item) => boolean)[] = [];
  const clause =
    /^\s*(?:begins_with\(\s*([#\w]+)\s*,\s*(:\w+)\s*\)|([#\w]+)\s+BETWEEN\s+(:\w+)\s+AND\s+(:\w+)|([#\w]+)\s*(=|<=|<|>=|>)\s*(:\w+))\s*(?:AND\b|$)/i;
  let rest: string = input.KeyConditionExpression;
  while (rest.trim()) {
    const m = clause.exec(rest);
    if (!m) throw new Error(`lagging-index seam: key condition not modelled: ${input.KeyConditionExpression}`);
    rest = rest.slice(m[0].length);
    if (m[1]) {
      const [attribute, prefix] = [name(m[1]), String(values[m[2]!])];
      tests.push((item) => typeof item[attribute] === 'string' && (item[attribute] as string).startsWith(prefix));
    } else if (m[3]) {
      const [attribute, low, high] = [name(m[3]), values[m[4]!], values[m[5]!]];
      tests.push((item) => item[attribute] !== undefined && compareStrings(item[attribute], low) >= 0 && compareStrings(item[attribute], high) <= 0);
    } else {
      const [attribute, op, value] = [name(m[6]!), m[7]!, values[m[8]!]];
      tests.push((item) => {
        if (item[attribute] === undefined) return false;
        const c = compareStrings(item[attribute], value);
        return op === '=' ? c === 0 : op === '<' ? c < 0 : op === '<=' ? c <= 0 : op === '>' ? c > 0 : c >= 0;
      });
    }
  }
  return (item) => tests.every((test) => test(item));
}

/** The top-level attribute names a ProjectionExpression asks for (undefined: all). */
function projectionNames(input: Input): string[] | undefined {
  if (!input.ProjectionExpression) return undefined;
  return (input.ProjectionExpression as string).split(',').map((part) => {
    const token = part.trim();
    if (!/^[#\w]+$/.test(token)) throw new Error(`lagging-index seam: projection not modelled: ${input.ProjectionExpression}`);
    return token.startsWith('#') ? input.ExpressionAttributeNames[token] : token;
  });
}

const pick = (item: Item, names: readonly string[]) => Object.fromEntries(names.filter((n) => item[n] !== undefined).map((n) => [n, item[n]]));

/** An image as the read would have returned it: the index's projection, then the expression's. */
function project(image: Item, path: Path, names: string[] | undefined): Item {
  const projected = path.keysOnly ? pick(image, [PK, SK, path.partitionKey, path.sortKey]) : image;
  return names ? pick(projected, names) : projected;
}

async function lagQuery(state: Frozen, next: Handler, args: { input: Input }) {
  const input = args.input;
  if (input.FilterExpression) throw new Error('lagging-index seam: a FilterExpression on a lagging read is not modelled');
  const path = pathOf(input);
  const names = projectionNames(input);
  // The answer must carry the keys that place an item in the page; asked for, then dropped.
  const keyNames = [PK, SK, path.partitionKey, path.sortKey];
  const missing = names ? [...new Set(keyNames.filter((n) => !names.includes(n)))] : [];
  const forwarded = missing.length
    ? {
        ...input,
        ProjectionExpression: [input.ProjectionExpression, ...missing.map((_, i) => `#lagKey${i}`)].join(', '),
        ExpressionAttributeNames: { ...input.ExpressionAttributeNames, ...Object.fromEntries(missing.map((n, i) => [`#lagKey${i}`, n])) },
      }
    : input;
  const result = await next({ ...args, input: forwarded });
  const images = await settled(state);
  const output = result.output;
  const forward = input.ScanIndexForward !== false;
  const order = (a: Item, b: Item) =>
    (forward ? 1 : -1) * (compareStrings(a[path.sortKey], b[path.sortKey]) || compareStrings(a[PK], b[PK]) || compareStrings(a[SK], b[SK]));
  const start = input.ExclusiveStartKey as Item | undefined;
  const last = output.LastEvaluatedKey as Item | undefined;
  const matches = keyCondition(input);
  const inPage = (item: Item) => (!start || order(item, start) > 0) && (!last || order(item, last) <= 0);

  const live = (output.Items ?? []) as Item[];
  const kept = live.filter((item) => !images.has(keyString(item)));
  const stale = [...images.values()].filter(
    (image): image is Item => !!image && image[path.partitionKey] !== undefined && image[path.sortKey] !== undefined && matches(image) && inPage(image),
  );
  let items = [...kept, ...stale.map((image) => project(image, path, undefined))].sort(order);
  let lastEvaluatedKey = last;
  if (input.Limit && items.length > input.Limit) {
    items = items.slice(0, input.Limit);
    lastEvaluatedKey = pick(items[items.length - 1]!, keyNames);
  }
  lagged += live.length - kept.length + stale.length;
  const shown = items.map((item) => (names ? pick(item, names) : item));
  return { ...result, output: { ...output, Items: shown, Count: shown.length, ScannedCount: shown.length, LastEvaluatedKey: lastEvaluatedKey } };
}

async function lagGet(state: Frozen, next: Handler, args: { input: Input }) {
  const id = keyString(args.input.Key);
  if (!state.images.has(id)) return next(args);
  const image = await state.images.get(id);
  lagged++;
  const names = projectionNames(args.input);
  return { output: { $metadata: {}, ...(image ? { Item: names ? pick(image, names) : image } : {}) }, response: {} };
}

async function lagBatchGet(state: Frozen, next: Handler, args: { input: Input }) {
  const request = args.input.RequestItems[table()];
  if (request.ProjectionExpression) throw new Error('lagging-index seam: a projection on a lagging batch read is not modelled');
  const result = await next(args);
  const images = await settled(state);
  const live = (result.output.Responses?.[table()] ?? []) as Item[];
  const kept = live.filter((item) => !images.has(keyString(item)));
  const stale = (request.Keys as Item[]).map((key) => images.get(keyString(key))).filter((image): image is Item => !!image);
  lagged += live.length - kept.length + stale.length;
  return { ...result, output: { ...result.output, Responses: { ...result.output.Responses, [table()]: [...kept, ...stale] } } };
}
