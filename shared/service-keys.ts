import { createHmac, hkdfSync } from 'node:crypto';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import * as z from 'zod/mini';
import { loadServiceKeysConfig } from './config';
import { serviceBusy } from './errors';
import { logger } from './log';

/**
 * The deployment's own secret keys: they seal pagination cursors and make candidate
 * handles that nobody outside can recompute. One secret (Secrets Manager in AWS, a file
 * under .data/ locally, passed inline) holds a keyring `{ "current": "k2", "k1": "…",
 * "k2": "…" }`: new values use the current key, values made under an older key stay
 * readable until it is removed, so rotation breaks no open cursor or proposal.
 * Each purpose gets its own key derived with HKDF, so a cursor key never makes a handle.
 */
// Built by the first keyring read, like the configuration's schemas (shared/config.ts).
const keyring = () => z.catchall(z.object({ current: z.string().check(z.regex(/^[A-Za-z0-9_-]{1,16}$/)) }), z.string().check(z.minLength(32)));

export type Purpose = 'cursor' | 'cursor-tag' | 'candidate-handle' | 'proposal-id';

export interface ServiceKeys {
  currentId: string;
  has(keyId: string): boolean;
  /** The 32-byte key for a purpose under one key id, or undefined for an unknown id. */
  key(purpose: Purpose, keyId: string): Buffer | undefined;
}

export function parseKeyring(text: string): ServiceKeys {
  let parsed: z.output<ReturnType<typeof keyring>>;
  try {
    parsed = keyring().parse(JSON.parse(text));
  } catch {
    throw new Error('invalid configuration: the service keyring must be JSON { "current": "<id>", "<id>": "<at least 32 characters>" }');
  }
  const { current, ...materials } = parsed;
  if (!materials[current]) throw new Error(`invalid configuration: the service keyring has no key "${current}"`);
  const derived = new Map<string, Buffer>();
  return {
    currentId: current,
    has: (keyId) => Object.hasOwn(materials, keyId),
    key(purpose, keyId) {
      const material = Object.hasOwn(materials, keyId) ? materials[keyId] : undefined;
      if (material === undefined) return undefined;
      const name = `${purpose}|${keyId}`;
      let key = derived.get(name);
      if (!key) {
        key = Buffer.from(hkdfSync('sha256', material, 'kanryu', purpose, 32));
        derived.set(name, key);
      }
      return key;
    },
  };
}

// In AWS the keyring is re-read every few minutes, so a rotation reaches warm functions;
// after a failed read the keys in hand serve a little longer instead of every request retrying.
const REFRESH_MS = 5 * 60_000;
const RETRY_MS = 30_000;
// A key id this function has not seen yet may be one rotated in since its last read.
const UNKNOWN_KEY_REFRESH_MS = 10_000;
let cached: { keys: ServiceKeys; until: number; readAt: number } | undefined;
let secretsClient: SecretsManagerClient | undefined;

/**
 * The keyring, read on first use (configuration errors surface on the first request that
 * needs it). `wanted` names a key id the caller met: when the keyring in hand lacks it,
 * the keyring is read again (at most every few seconds).
 */
export async function serviceKeys(wanted?: string): Promise<ServiceKeys> {
  const now = Date.now();
  const lacksWanted = !!wanted && !!cached && !cached.keys.has(wanted) && now - cached.readAt > UNKNOWN_KEY_REFRESH_MS;
  if (cached && now < cached.until && !lacksWanted) return cached.keys;
  const config = loadServiceKeysConfig(process.env);
  if (config.inline) {
    cached = { keys: parseKeyring(config.inline), until: Number.POSITIVE_INFINITY, readAt: now };
    return cached.keys;
  }
  secretsClient ??= new SecretsManagerClient({});
  try {
    const text = (await secretsClient.send(new GetSecretValueCommand({ SecretId: config.secretArn }))).SecretString;
    cached = { keys: parseKeyring(text ?? ''), until: now + REFRESH_MS, readAt: now };
  } catch (error) {
    if (!cached)
      throw error instanceof Error && error.message.startsWith('invalid configuration')
        ? error
        : serviceBusy('A service key cannot be read right now; retry shortly.');
    logger.error('service keyring not read; keeping the keys in hand', { error: { name: (error as Error).name, message: (error as Error).message } });
    cached = { ...cached, until: now + RETRY_MS, readAt: now };
  }
  return cached.keys;
}

/** Forgets the keyring in hand: the next use reads it again (a test rotating an inline keyring). */
export function forgetServiceKeys(): void {
  cached = undefined;
}

/** A keyed MAC of `parts` under the current key, `length` hex digits (ids keep their hex form). */
export async function keyedDigest(purpose: Purpose, parts: readonly string[], length = 16): Promise<{ keyId: string; digest: string }> {
  const keys = await serviceKeys();
  const mac = createHmac('sha256', keys.key(purpose, keys.currentId)!).update(parts.join('\u0000')).digest('hex');
  return { keyId: keys.currentId, digest: mac.slice(0, length) };
}
