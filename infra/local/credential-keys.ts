import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { createCredentialKeyring } from '../../shared/credentials/signing-keys';

/**
 * The local host's credential signing keys (in AWS: a KMS key), kept beside the data so
 * credentials issued before a restart still verify. Rotate by putting a new key first in
 * the file's `keys` (the old ones stay published).
 */
export function loadOrCreateCredentialKeys(file: string): string {
  if (existsSync(file)) return readFileSync(file, 'utf8');
  const keyring = createCredentialKeyring();
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, keyring, { mode: 0o600 });
  return keyring;
}
