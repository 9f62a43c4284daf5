import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign as signWith, type JsonWebKey } from 'node:crypto';
import { GetPublicKeyCommand, KMSClient, SignCommand } from '@aws-sdk/client-kms';
import { derToP1363 } from './jws';
import { publicBaseUrl } from './settings';

/**
 * The keys credentials are signed with (ES256, P-256).
 *
 * - AWS: KMS asymmetric keys (ECC_NIST_P256, SIGN_VERIFY). The private key never leaves
 *   KMS: signing is the KMS Sign API; the public keys come from GetPublicKey.
 *   `KANRYU_CREDENTIAL_KMS_KEYS` lists key ids or ARNs, the signing key first.
 * - Locally: development keys kept in .data/credential-signing-keys.json
 *   (infra/local/environment.ts), passed inline as `KANRYU_CREDENTIAL_KEYS`
 *   `{ "keys": [<private JWK>, …] }`, the signing key first. Without either (tests), one
 *   key is made for the process.
 *
 * Rotation: put a new key first. Every listed key stays published (JWKS, issuer profile),
 * so credentials signed under an older key stay verifiable until it is removed from the
 * list, which is done only once nothing valid was signed with it.
 */
export interface PublishedKey {
  kid: string;
  jwk: JsonWebKey & { kid: string; alg: 'ES256'; use: 'sig' };
}

export interface Signer {
  /** The key id new signatures are made with. */
  currentKid(): Promise<string>;
  /** An ES256 signature (r||s) of the signing input with the current key. */
  sign(signingInput: string): Promise<Buffer>;
  publicKeys(): Promise<PublishedKey[]>;
}

/** RFC 7638 thumbprint of a P-256 public key. */
const thumbprint = (jwk: JsonWebKey) =>
  createHash('sha256')
    .update(JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y }))
    .digest('base64url');

/** The key id is a URL that dereferences to the key set holding it (the OB 3.0 JWT header's `kid`). */
export const keyIdOf = (jwk: JsonWebKey) => `${publicBaseUrl()}/.well-known/jwks.json#${thumbprint(jwk)}`;

const published = (publicJwk: JsonWebKey): PublishedKey => {
  const kid = keyIdOf(publicJwk);
  return { kid, jwk: { kty: publicJwk.kty, crv: publicJwk.crv, x: publicJwk.x, y: publicJwk.y, kid, alg: 'ES256', use: 'sig' } };
};

/** A fresh development keyring, in the format of KANRYU_CREDENTIAL_KEYS. */
export function createCredentialKeyring(): string {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return JSON.stringify({ keys: [privateKey.export({ format: 'jwk' })] });
}

/** A signer over development keys (the KANRYU_CREDENTIAL_KEYS format). */
export function localSigner(keyring: string): Signer {
  let keys: JsonWebKey[];
  try {
    keys = (JSON.parse(keyring) as { keys: JsonWebKey[] }).keys;
    if (!Array.isArray(keys) || keys.length === 0 || keys.some((k) => k.kty !== 'EC' || k.crv !== 'P-256' || !k.d)) throw new Error();
  } catch {
    throw new Error('invalid configuration: KANRYU_CREDENTIAL_KEYS must be JSON { "keys": [<P-256 private JWK>, …] }');
  }
  const signing = createPrivateKey({ key: keys[0]!, format: 'jwk' });
  const publics = keys.map((k) => createPublicKey({ key: k, format: 'jwk' }).export({ format: 'jwk' }));
  return {
    currentKid: async () => keyIdOf(publics[0]!),
    sign: async (input) => signWith('sha256', Buffer.from(input), { key: signing, dsaEncoding: 'ieee-p1363' }),
    publicKeys: async () => publics.map(published),
  };
}

function kmsSigner(keyIds: readonly string[]): Signer {
  const kms = new KMSClient({});
  let keys: Promise<PublishedKey[]> | undefined;
  const publicKeys = () => {
    keys ??= Promise.all(
      keyIds.map(async (KeyId) => {
        const { PublicKey } = await kms.send(new GetPublicKeyCommand({ KeyId }));
        return published(createPublicKey({ key: Buffer.from(PublicKey!), format: 'der', type: 'spki' }).export({ format: 'jwk' }));
      }),
    ).catch((error: unknown) => {
      keys = undefined;
      throw error;
    });
    return keys;
  };
  return {
    currentKid: async () => (await publicKeys())[0]!.kid,
    async sign(input) {
      const digest = createHash('sha256').update(input).digest();
      const { Signature } = await kms.send(new SignCommand({ KeyId: keyIds[0], Message: digest, MessageType: 'DIGEST', SigningAlgorithm: 'ECDSA_SHA_256' }));
      return derToP1363(Signature!);
    },
    publicKeys,
  };
}

let signer: Signer | undefined;

export function credentialSigner(env: Record<string, string | undefined> = process.env): Signer {
  if (signer) return signer;
  const kmsKeys =
    env.KANRYU_CREDENTIAL_KMS_KEYS?.split(',')
      .map((k) => k.trim())
      .filter(Boolean) ?? [];
  if (kmsKeys.length > 0) signer = kmsSigner(kmsKeys);
  else if (env.KANRYU_CREDENTIAL_KEYS) signer = localSigner(env.KANRYU_CREDENTIAL_KEYS);
  else if (env.AWS_LAMBDA_FUNCTION_NAME) throw new Error('invalid configuration: KANRYU_CREDENTIAL_KMS_KEYS is required in Lambda (the stack sets it)');
  else {
    // Tests: one key for the process, shared by every handler it runs.
    env.KANRYU_CREDENTIAL_KEYS = createCredentialKeyring();
    signer = localSigner(env.KANRYU_CREDENTIAL_KEYS);
  }
  return signer;
}
