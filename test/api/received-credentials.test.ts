import { createHash } from 'node:crypto';
import { createList } from '@digitalbazaar/vc-bitstring-status-list';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { signDevClaims, type DevKey } from '../../infra/local/dev-key';
import { call } from '../support/api';
import { adminToken, createLearner, providerToken, registerCourse, seedCatalog } from '../support/fixtures';
import { snapshotTable } from '../support/security-snapshot';

/**
 * Open Badges 3.0 in: credentials of another issuer, made here with jose and Digital
 * Bazaar's status list library (not with this project's code), submitted by a learner.
 */
const ISSUER = 'https://badges.example.jp/issuer';
const ACHIEVEMENT = 'https://badges.example.jp/achievements/dx-basic';
const STATUS_URL = 'https://badges.example.jp/status/1';
const JWKS_URL = 'https://keys.example.jp/jwks.json';
const EMAIL = 'hanako@example.jp';
const SALT = 'k9s8';

let issuerKey: CryptoKey;
let strangerKey: CryptoKey;
let admin: string;
let learner: string;
let courseId: string;
let revoked = new Set<number>();

/** The learner's token as the learners' pool issues it once they verified their e-mail address. */
const learnerWithEmail = (sub: string, email = EMAIL, verified = true) =>
  signDevClaims(JSON.parse(process.env.KANRYU_TEST_SIGNING_KEY!) as DevKey, 'learner', { sub, token_use: 'id', email, email_verified: verified });

function credential(overrides: Record<string, unknown> = {}, subject: Record<string, unknown> = {}) {
  return {
    '@context': ['https://www.w3.org/ns/credentials/v2', 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'],
    id: 'urn:uuid:2d8d3c55-7a38-4b9a-9a2e-1f0e6c0b0001',
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    issuer: { id: ISSUER, type: ['Profile'], name: 'バッジ発行機関' },
    validFrom: '2025-09-01T00:00:00+09:00',
    credentialSubject: {
      type: ['AchievementSubject'],
      identifier: [
        {
          type: 'IdentityObject',
          identityType: 'emailAddress',
          hashed: true,
          salt: SALT,
          identityHash: `sha256$${createHash('sha256')
            .update(EMAIL + SALT)
            .digest('hex')}`,
        },
      ],
      achievement: { id: ACHIEVEMENT, type: ['Achievement'], name: 'DX 基礎', description: 'DX 基礎', criteria: { narrative: '修了' } },
      ...subject,
    },
    credentialStatus: {
      id: `${STATUS_URL}#5`,
      type: 'BitstringStatusListEntry',
      statusPurpose: 'revocation',
      statusListIndex: '5',
      statusListCredential: STATUS_URL,
    },
    ...overrides,
  };
}

const sign = (payload: Record<string, unknown>, key = issuerKey, kid = 'issuer-key-1') =>
  new SignJWT(payload).setProtectedHeader({ alg: 'ES256', kid, typ: 'JWT' }).setIssuer(ISSUER).sign(key);

const submit = async (jwt: string, token = learner) => call('POST', '/v1/learners/me/credentials/received', { token, body: { credential: jwt } });

beforeAll(async () => {
  await seedCatalog();
  admin = await adminToken();
  ({ privateKey: issuerKey } = await generateKeyPair('ES256', { extractable: true }));
  ({ privateKey: strangerKey } = await generateKeyPair('ES256', { extractable: true }));
  const publicJwk = { ...(await exportJWK(issuerKey)), kid: 'issuer-key-1' };
  delete publicJwk.d;
  courseId = await registerCourse(await providerToken('prov-ob'), {
    title: 'DX 基礎 (バッジ)',
    certification: true,
    skills: [{ skill: 'data-platform-design', level: 'b' }],
  });
  await createLearner('ob-in-1');
  learner = await learnerWithEmail('ob-in-1');

  // The issuer's status list and key set, as its web server would answer them (no network here).
  vi.spyOn(globalThis, 'fetch').mockImplementation(async (input) => {
    const url = String(input instanceof Request ? input.url : input);
    if (url === STATUS_URL) {
      const list = await createList({ length: 131072 });
      for (const index of revoked) list.setStatus(index, true);
      const body = {
        '@context': ['https://www.w3.org/ns/credentials/v2'],
        id: STATUS_URL,
        type: ['VerifiableCredential', 'BitstringStatusListCredential'],
        issuer: ISSUER,
        credentialSubject: { id: `${STATUS_URL}#list`, type: 'BitstringStatusList', statusPurpose: 'revocation', encodedList: await list.encode() },
      };
      return new Response(JSON.stringify(body), { headers: { 'content-type': 'application/json' } });
    }
    if (url === JWKS_URL) return new Response(JSON.stringify({ keys: [publicJwk] }), { headers: { 'content-type': 'application/jwk-set+json' } });
    return new Response('not found', { status: 404 });
  });

  const registered = await call('POST', '/v1/trusted-issuers', {
    token: admin,
    body: {
      issuerId: ISSUER,
      name: 'バッジ発行機関',
      keys: [publicJwk],
      statusListPrefix: 'https://badges.example.jp/status/',
      achievements: [{ achievementId: ACHIEVEMENT, courseId }],
    },
  });
  expect(registered.status, registered.text).toBe(201);
}, 60_000);

afterAll(() => {
  vi.restoreAllMocks();
});

describe('Open Badges 3.0 in: a credential from a registered issuer', () => {
  it('becomes a verified completion of the course it stands for, once', async () => {
    const jwt = await sign(credential());
    const first = await submit(jwt);
    expect(first.status, first.text).toBe(201);
    expect(first.json).toMatchObject({ issuerId: ISSUER, courseId, completedOn: '2025-09-01', outcome: 'created' });
    expect((await submit(jwt)).status).toBe(200);
    // A second badge for the same course, issued days later, is the same completion: not a second count.
    const reissued = await submit(await sign(credential({ id: 'urn:uuid:2d8d3c55-7a38-4b9a-9a2e-1f0e6c0b0002', validFrom: '2025-09-05T00:00:00+09:00' })));
    expect(reissued.json).toMatchObject({ outcome: 'unchanged', completedOn: '2025-09-01' });
    const completions = (await call('GET', '/v1/learners/ob-in-1/completions', { token: learner })).json.completions;
    expect(completions).toEqual([expect.objectContaining({ courseId, completedOn: '2025-09-01', status: 'verified' })]);
    // The registry: admin only; it holds no private key.
    const registry = await call('GET', '/v1/trusted-issuers', { token: admin });
    expect(registry.json.issuers[0].keys[0].d).toBeUndefined();
  });

  it('refuses each bad case with its reason, and writes nothing', async () => {
    await createLearner('ob-in-2');
    const other = await learnerWithEmail('ob-in-2');
    const before = await snapshotTable();
    const cases: [string, Promise<string>, RegExp, string?][] = [
      [
        'unknown issuer',
        new SignJWT({ ...credential(), issuer: 'https://unknown.example/issuer' }).setProtectedHeader({ alg: 'ES256' }).sign(issuerKey),
        /unknown issuer/,
      ],
      ['bad signature', sign(credential(), strangerKey), /signature does not verify/],
      ['expired', sign(credential({ validUntil: '2025-12-31T00:00:00Z' })), /expired/],
      ['not yet valid', sign(credential({ validFrom: '2099-01-01T00:00:00Z' })), /not valid yet/],
      [
        'someone else',
        sign(credential({}, { identifier: [{ type: 'IdentityObject', identityType: 'emailAddress', hashed: false, identityHash: 'taro@example.jp' }] })),
        /not about you/,
      ],
      [
        'unmapped achievement',
        sign(credential({}, { achievement: { id: 'https://badges.example.jp/achievements/other', type: ['Achievement'] } })),
        /stands for no course/,
      ],
      [
        'status elsewhere',
        sign(
          credential({
            credentialStatus: {
              type: 'BitstringStatusListEntry',
              statusPurpose: 'revocation',
              statusListIndex: '1',
              statusListCredential: 'https://evil.example/status',
            },
          }),
        ),
        /not under the status list address/,
      ],
      ['not a JWT', Promise.resolve('{"id":"x"}'), /JWT form/],
    ];
    for (const [what, jwt, reason] of cases) {
      const res = await submit(await jwt, other);
      expect(res.status, `${what}: ${res.text}`).toBe(422);
      expect(res.json.detail, what).toMatch(reason);
    }
    const unverified = await submit(await sign(credential()), await learnerWithEmail('ob-in-2', EMAIL, false));
    expect(unverified.status).toBe(422);
    expect(unverified.json.detail).toMatch(/no verified e-mail/);
    revoked = new Set([5]);
    const revokedAnswer = await submit(await sign(credential()), other);
    revoked = new Set();
    expect(revokedAnswer.status).toBe(422);
    expect(revokedAnswer.json.detail).toMatch(/revoked/);
    expect(await snapshotTable()).toEqual(before);
  });

  it('fetches keys only from an https URL in the registry', async () => {
    const http = await call('POST', '/v1/trusted-issuers', {
      token: admin,
      body: {
        issuerId: 'https://other.example.jp/issuer',
        name: '別機関',
        jwksUrl: 'http://keys.example.jp/jwks.json',
        achievements: [{ achievementId: ACHIEVEMENT, courseId }],
      },
    });
    expect(http.status).toBe(400);
    const replaced = await call('POST', '/v1/trusted-issuers', {
      token: admin,
      body: {
        issuerId: ISSUER,
        name: 'バッジ発行機関',
        jwksUrl: JWKS_URL,
        statusListPrefix: 'https://badges.example.jp/status/',
        achievements: [{ achievementId: ACHIEVEMENT, courseId }],
      },
    });
    expect(replaced.status, replaced.text).toBe(200);
    await createLearner('ob-in-3');
    const res = await submit(await sign(credential({ id: 'urn:uuid:2d8d3c55-7a38-4b9a-9a2e-1f0e6c0b0003' })), await learnerWithEmail('ob-in-3'));
    expect(res.status, res.text).toBe(201);
  });
});
