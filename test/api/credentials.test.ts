import { readFileSync } from 'node:fs';
import { checkStatus } from '@digitalbazaar/vc-bitstring-status-list';
import Ajv2019 from 'ajv/dist/2019.js';
import addFormats from 'ajv-formats';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JWTPayload } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { publicBaseUrl } from '../../shared/credentials/settings';
import { call, tokenFor } from '../support/api';
import { createLearner, registerCourse, seedCatalog } from '../support/fixtures';
import { snapshotTable } from '../support/security-snapshot';

/**
 * Open Badges 3.0 out, checked only with libraries this project did not write: jose for
 * the JWT proof (ES256, keys from the published JWK Set), 1EdTech's JSON Schema for the
 * credential (vendored, ajv), and Digital Bazaar's Bitstring Status List for revocation.
 */
const schema = JSON.parse(readFileSync(new URL('../fixtures/openbadges/ob_v3p0_achievementcredential_schema.json', import.meta.url), 'utf8'));
const ajv = new Ajv2019({ strict: false, allErrors: true });
addFormats.default(ajv);
const validateOpenBadge = ajv.compile(schema);

const BASE = publicBaseUrl();
const pathOf = (url: string) => url.slice(BASE.length);

/** An independent verifier: the issuer's keys as it publishes them, nothing of ours. */
async function independentlyVerify(jwt: string) {
  const jwks = await call('GET', '/.well-known/jwks.json');
  expect(jwks.status).toBe(200);
  const { payload } = await jwtVerify(jwt, createLocalJWKSet(jwks.json), { algorithms: ['ES256'], issuer: `${BASE}/v1/credentials/issuer` });
  return payload;
}

/** The status list, fetched signed and verified with jose, then read by the W3C status list library. */
async function statusOf(credential: JWTPayload) {
  const jwks = createLocalJWKSet((await call('GET', '/.well-known/jwks.json')).json);
  const documentLoader = async (url: string) => {
    const res = await call('GET', pathOf(url), { headers: { accept: 'application/vc+jwt' } });
    expect(res.status, res.text).toBe(200);
    expect(res.headers['content-type']).toBe('application/vc+jwt');
    const { payload } = await jwtVerify(res.text, jwks, { algorithms: ['ES256'] });
    return { document: payload, documentUrl: url, contextUrl: null };
  };
  // The list's own signature is checked above (JWT form); the library checks the entry, purpose and issuer.
  const result = await checkStatus({ credential, documentLoader, verifyBitstringStatusListCredential: false });
  expect(result.verified, String(result.error)).toBe(true);
  return result.results[0]!.status;
}

describe('Open Badges 3.0 credentials', () => {
  let provider: string;
  let learner: string;
  let courseId: string;

  beforeAll(async () => {
    await seedCatalog();
    provider = await tokenFor({ sub: 'prov-cred-staff', role: 'provider', org: 'prov-cred' });
    courseId = await registerCourse(provider, { title: 'データ基盤 認定講座', certification: true, skills: [{ skill: 'data-platform-design', level: 'b' }] });
    learner = await createLearner('cred-learner-1', {}, { linkProviders: ['prov-cred'] });
    const reported = await call('POST', '/v1/completions', { token: provider, body: { learnerId: 'cred-learner-1', courseId, completedOn: '2025-06-01' } });
    expect(reported.status, reported.text).toBe(201);
  });

  it('a learner qualifies, obtains a credential, an independent verifier accepts it; after erasure the status list says revoked', async () => {
    const mine = await call('GET', '/v1/learners/me/credentials', { token: learner });
    expect(mine.status, mine.text).toBe(200);
    const keys = mine.json.achievements.map((a: { achievement: string }) => a.achievement);
    expect(keys).toContain('qualified:2026.2');
    expect(keys).toContain(`course:${courseId}`);

    const issued = await call('POST', '/v1/learners/me/credentials', { token: learner, body: { achievement: 'qualified:2026.2' } });
    expect(issued.status, issued.text).toBe(201);
    expect(issued.json.status).toBe('active');
    const again = await call('POST', '/v1/learners/me/credentials', { token: learner, body: { achievement: 'qualified:2026.2' } });
    expect(again.status).toBe(200);
    expect(again.json.credentialId).toBe(issued.json.credentialId);

    const jwt: string = issued.json.credential;
    const header = decodeProtectedHeader(jwt);
    expect(header.alg).toBe('ES256');
    // OB 3.0: kid is a URL that dereferences to the key.
    const [keySetUrl] = String(header.kid).split('#');
    expect(keySetUrl).toBe(`${BASE}/.well-known/jwks.json`);
    const payload = await independentlyVerify(jwt);
    expect(payload.jti).toBe(issued.json.credentialId);
    expect(payload.sub).toBe('urn:kanryu:learner:cred-learner-1');
    expect(payload.nbf).toBe(Date.parse('2025-06-01T00:00:00+09:00') / 1000);
    expect(validateOpenBadge(payload), JSON.stringify(validateOpenBadge.errors)).toBe(true);
    expect(payload.type).toEqual(['VerifiableCredential', 'OpenBadgeCredential']);
    // No personal data in a credential: the subject is the random account id.
    expect(JSON.stringify(payload)).not.toMatch(/[\w.+-]+@[\w-]+\.[\w.]+|山田/);
    expect((payload.credentialSubject as { achievement: { alignment: { targetCode: string }[] } }).achievement.alignment.map((a) => a.targetCode)).toEqual([
      'data-platform-design',
    ]);

    const profile = await call('GET', '/v1/credentials/issuer');
    expect(profile.status).toBe(200);
    expect(profile.json.id).toBe((payload.issuer as { id: string }).id);
    expect(profile.json.verificationMethod.map((m: { id: string }) => m.id)).toContain(header.kid);

    expect(await statusOf(payload)).toBe(false);
    const verified = await call('POST', '/v1/credentials/verify', { body: { credential: jwt } });
    expect(verified.status, verified.text).toBe(200);
    expect(verified.json.verified).toBe(true);

    const erased = await call('DELETE', '/v1/learners/me', { token: learner });
    expect(erased.status, erased.text).toBe(200);
    expect(await statusOf(payload)).toBe(true);
    const after = await call('POST', '/v1/credentials/verify', { body: { credential: jwt } });
    expect(after.json.verified).toBe(false);
    expect(after.json.checks.at(-1)).toEqual({ check: 'status', ok: false, reason: 'revoked by the issuer' });
    // The signature still verifies (it was valid): revocation is what the status list says.
    await independentlyVerify(jwt);
    const listed = await call('GET', '/v1/learners/me/credentials', { token: learner });
    expect(listed.json.credentials[0]).toMatchObject({ status: 'revoked' });
    expect(listed.json.credentials[0].credential).toBeUndefined();
  });

  it('a course credential aligns to the DSS items its accreditation attests', async () => {
    const other = await createLearner('cred-learner-2', {}, { linkProviders: ['prov-cred'] });
    await call('POST', '/v1/completions', { token: provider, body: { learnerId: 'cred-learner-2', courseId, completedOn: '2025-07-01' } });
    const issued = await call('POST', '/v1/learners/me/credentials', { token: other, body: { achievement: `course:${courseId}` } });
    expect(issued.status, issued.text).toBe(201);
    const payload = await independentlyVerify(issued.json.credential);
    expect(validateOpenBadge(payload), JSON.stringify(validateOpenBadge.errors)).toBe(true);
    const achievement = (payload.credentialSubject as { achievement: { alignment: { targetCode: string; targetFramework: string }[]; name: string } })
      .achievement;
    expect(achievement.name).toBe('データ基盤 認定講座');
    expect(achievement.alignment).toEqual([
      expect.objectContaining({ targetCode: 'data-platform-design', targetDescription: 'level b', targetFramework: expect.stringMatching(/DSS-P.*1\.2/) }),
      expect.objectContaining({ targetCode: 'what-data-handle', targetFramework: expect.stringMatching(/DSS-L.*1\.2/) }),
    ]);
    expect(await statusOf(payload)).toBe(false);
  });

  it('refuses achievements the learner does not hold, and writes nothing', async () => {
    const none = await createLearner('cred-learner-3');
    const before = await snapshotTable();
    for (const achievement of ['qualified:2026.2', `course:${courseId}`, 'role-ready:1.2:data-engineer']) {
      const res = await call('POST', '/v1/learners/me/credentials', { token: none, body: { achievement } });
      expect(res.status, res.text).toBe(422);
      expect(res.json.detail).toMatch(/you do not hold/);
    }
    const malformed = await call('POST', '/v1/learners/me/credentials', { token: none, body: { achievement: 'anything' } });
    expect(malformed.status).toBe(400);
    expect(await snapshotTable()).toEqual(before);
  });

  it('verify says why not: malformed, foreign key, altered, not yet issued list entry', async () => {
    const other = await tokenFor({ sub: 'cred-learner-2', role: 'learner' });
    const { json } = await call('POST', '/v1/learners/me/credentials', { token: other, body: { achievement: `course:${courseId}` } });
    const jwt: string = json.credential;
    const [h, p, s] = jwt.split('.') as [string, string, string];
    const verify = async (credential: string) => (await call('POST', '/v1/credentials/verify', { body: { credential } })).json;

    expect((await verify('not a jwt')).checks).toEqual([{ check: 'format', ok: false, reason: expect.stringMatching(/compact JWS/) }]);
    const altered = JSON.parse(Buffer.from(p, 'base64url').toString('utf8'));
    altered.credentialSubject.achievement.name = '偽の資格';
    const tampered = await verify(`${h}.${Buffer.from(JSON.stringify(altered)).toString('base64url')}.${s}`);
    expect(tampered.verified).toBe(false);
    expect(tampered.checks.at(-1)).toMatchObject({ check: 'signature', ok: false });
    const foreignHeader = Buffer.from(JSON.stringify({ alg: 'ES256', kid: 'https://issuer.example/keys#1' })).toString('base64url');
    expect((await verify(`${foreignHeader}.${p}.${s}`)).checks.at(-1)).toMatchObject({ check: 'key', ok: false });
    const noneAlg = Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url');
    expect((await verify(`${noneAlg}.${p}.${s}`)).checks.at(-1)).toMatchObject({ check: 'key', ok: false });

    const extraField = await call('POST', '/v1/credentials/verify', { body: { credential: jwt, trust: true } });
    expect(extraField.status).toBe(400);
    expect((await call('GET', '/v1/credentials/status/999')).status).toBe(404);
    expect((await call('GET', '/v1/credentials/status/0')).status).toBe(400);
  });
});
