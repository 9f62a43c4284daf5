import { issuerProfile } from './open-badge';
import { credentialSigner } from './signing-keys';

/** What verifiers read to check this issuer's signatures (no table access: these routes carry no DynamoDB client). */
export async function publishedKeys() {
  return { keys: (await credentialSigner().publicKeys()).map((k) => k.jwk) };
}

export async function credentialIssuer() {
  return issuerProfile(await credentialSigner().publicKeys());
}
