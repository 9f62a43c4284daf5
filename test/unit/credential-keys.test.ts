import { generateKeyPairSync, sign } from 'node:crypto';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { derToP1363, publicKeyOf, verifyEs256 } from '../../shared/credentials/jws';
import { signCredential } from '../../shared/credentials/open-badge';
import { createCredentialKeyring, localSigner } from '../../shared/credentials/signing-keys';

describe('credential signing keys', () => {
  it('keeps credentials signed under an older key verifiable after rotation (new key first, old one still published)', async () => {
    const old = createCredentialKeyring();
    const credential = { id: 'urn:uuid:00000000-0000-4000-8000-000000000000', validFrom: '2025-06-01T00:00:00+09:00' };
    const signedBefore = await signCredential(localSigner(old), credential);
    const rotated = localSigner(JSON.stringify({ keys: [...JSON.parse(createCredentialKeyring()).keys, ...JSON.parse(old).keys] }));
    const signedAfter = await signCredential(rotated, credential);
    const jwks = createLocalJWKSet({ keys: (await rotated.publicKeys()).map((k) => k.jwk) });
    for (const jwt of [signedBefore, signedAfter]) await expect(jwtVerify(jwt, jwks, { algorithms: ['ES256'] })).resolves.toBeDefined();
    // New signatures use the new key.
    expect(JSON.parse(Buffer.from(signedAfter.split('.')[0]!, 'base64url').toString()).kid).toBe(await rotated.currentKid());
  });

  it('turns the DER signatures KMS answers into JWS r||s', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    for (let i = 0; i < 50; i++) {
      const input = `header.payload-${i}`;
      const der = sign('sha256', Buffer.from(input), privateKey);
      const raw = derToP1363(der);
      expect(raw).toHaveLength(64);
      expect(verifyEs256({ signingInput: input, signature: raw }, publicKeyOf(publicKey.export({ format: 'jwk' })))).toBe(true);
    }
  });
});
