import { invalid } from '../errors';

/**
 * Opaque pagination cursors: the last evaluated key, base64url-encoded. A decoded cursor
 * must belong to the partition being queried, so a crafted cursor can neither reach
 * other data nor make DynamoDB fail with a 5xx.
 */
export type Key = Record<string, string>;

const BAD_CURSOR = 'The cursor is not one this API issued for this list; start again without it.';
export const badCursor = () => invalid(BAD_CURSOR, { errors: [{ in: 'query', field: 'cursor', message: BAD_CURSOR }] });

export function encodeCursor(lastKey: Record<string, unknown> | undefined): string | undefined {
  return lastKey ? Buffer.from(JSON.stringify(lastKey)).toString('base64url') : undefined;
}

export function decodeCursor(cursor: string | undefined, partition: Key, keyNames: readonly string[]): Key | undefined {
  if (cursor === undefined) return undefined;
  const bad = badCursor;
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw bad();
  }
  if (typeof decoded !== 'object' || decoded === null || Array.isArray(decoded)) throw bad();
  const entries = Object.entries(decoded);
  if (entries.length !== keyNames.length || !entries.every(([name, value]) => keyNames.includes(name) && typeof value === 'string' && value.length <= 1024)) {
    throw bad();
  }
  const key = decoded as Key;
  if (!Object.entries(partition).every(([name, value]) => key[name] === value)) throw bad();
  return key;
}
