import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { badCursor } from '../data/cursor';
import { identityKey, type Actor } from '../identity';
import { serviceKeys } from '../service-keys';
import type { RouteSpec } from './route';
import { routeKey } from './route';

/**
 * Cursors leave the service sealed (AES-256-GCM with the deployment's cursor key) and
 * bound to the caller, the route and the filter: a client can neither read the position
 * inside nor replay one cursor on another list, for another caller or another filter.
 * Inside the service a cursor is whatever the list's own code made of it.
 */
export interface CursorBinding {
  spec: Pick<RouteSpec, 'method' | 'path'>;
  actor: Actor | undefined;
  params: unknown;
  /** The query without cursor and limit (a page size may change between pages). */
  query: unknown;
}

const canonical = (value: unknown): string =>
  JSON.stringify(value && typeof value === 'object' ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b))) : (value ?? null));

function bindingOf({ spec, actor, params, query }: CursorBinding): Buffer {
  const { cursor: _cursor, limit: _limit, ...filter } = (query ?? {}) as Record<string, unknown>;
  return Buffer.from([routeKey(spec), identityKey(actor), canonical(params), canonical(filter)].join('\n'));
}

export async function sealCursor(inner: string, binding: CursorBinding): Promise<string> {
  const keys = await serviceKeys();
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keys.key('cursor', keys.currentId)!, iv).setAAD(bindingOf(binding));
  const sealed = Buffer.concat([iv, cipher.update(inner, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return `${keys.currentId}.${sealed.toString('base64url')}`;
}

export async function openCursor(cursor: string, binding: CursorBinding): Promise<string> {
  const match = /^([A-Za-z0-9_-]{1,16})\.([A-Za-z0-9_-]+)$/.exec(cursor);
  const keys = await serviceKeys(match?.[1]);
  const key = match && keys.key('cursor', match[1]!);
  const sealed = match ? Buffer.from(match[2]!, 'base64url') : Buffer.alloc(0);
  if (!key || sealed.length < 12 + 16) throw badCursor();
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, 12)).setAAD(bindingOf(binding));
    decipher.setAuthTag(sealed.subarray(sealed.length - 16));
    return Buffer.concat([decipher.update(sealed.subarray(12, sealed.length - 16)), decipher.final()]).toString('utf8');
  } catch {
    throw badCursor();
  }
}
