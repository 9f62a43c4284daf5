import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { catalogVersionFromFiles } from '../../shared/catalog/validate';
import { seedBundledCatalog } from '../../shared/domain/catalog-seed';
import { call, tokenFor } from './api';
import { courseBody, profileBody } from './bodies';

export { courseBody, openingBody, profileBody } from './bodies';

/** Small builders for the API tests: each step goes through the real API. */
export const seedCatalog = () => seedBundledCatalog(new Date('2026-04-01T00:00:00Z'));

export const learnerToken = (sub: string) => tokenFor({ sub, role: 'learner' });
export const providerToken = (org: string) => tokenFor({ sub: `${org}-staff`, role: 'provider', org });
export const centerToken = (prefecture: string) => tokenFor({ sub: `center-${prefecture}`, role: 'center', prefecture });
export const adminToken = () => tokenFor({ sub: 'admin-1', role: 'admin' });

/**
 * Registers a course and, unless told not to, has it accredited through the real API (the
 * provider asks, admin approves, valid from 1980), so its completions count under a rule
 * that asks for accredited evidence (2026.2).
 */
export async function registerCourse(
  providerTokenValue: string,
  overrides: Record<string, unknown> = {},
  options: { accredit?: boolean } = {},
): Promise<string> {
  const res = await call('POST', '/v1/courses', { token: providerTokenValue, body: courseBody(overrides) });
  expect(res.status, res.text).toBe(201);
  const courseId = res.json.courseId as string;
  if (options.accredit !== false) await accreditCourse(providerTokenValue, courseId);
  return courseId;
}

/** The provider asks for the course's accreditation and admin approves it; returns the request id. */
export async function accreditCourse(
  providerTokenValue: string,
  courseId: string,
  request: { scheme?: string; validFrom?: string; validTo?: string } = {},
): Promise<string> {
  const body = { scheme: request.scheme ?? 'ipa-exam', validFrom: request.validFrom ?? '1980-01-01', ...(request.validTo ? { validTo: request.validTo } : {}) };
  const asked = await call('POST', `/v1/courses/${courseId}/accreditation-requests`, { token: providerTokenValue, body });
  expect(asked.status, asked.text).toBe(201);
  const decided = await call('POST', `/v1/accreditation-requests/${asked.json.requestId}/decision`, {
    token: await adminToken(),
    body: { decision: 'approve', reason: 'test fixture: accredited' },
  });
  expect(decided.status, decided.text).toBe(200);
  return asked.json.requestId as string;
}

/** A learner with a profile; `linkProviders` names providers the learner lets report their completions. */
export async function createLearner(
  sub: string,
  overrides: Record<string, unknown> = {},
  options: { linkProviders?: readonly string[] } = {},
): Promise<string> {
  const token = await learnerToken(sub);
  const res = await call('PUT', '/v1/learners/me', { token, body: profileBody(overrides) });
  expect(res.status, res.text).toBeLessThan(300);
  for (const providerId of options.linkProviders ?? []) await linkProvider(token, providerId);
  return token;
}

/** The learner lets the provider report their completions (PUT /v1/learners/me/providers/{id}): only then do its reports count. */
export async function linkProvider(learnerTokenValue: string, providerId: string): Promise<void> {
  const res = await call('PUT', `/v1/learners/me/providers/${providerId}`, { token: learnerTokenValue });
  expect(res.status, res.text).toBeLessThan(300);
}

/** An employer account whose organisation is registered (head office in 鳥取市 unless given). */
export async function registerEmployer(corporateNumber: string, name: string, headOffice = '312011'): Promise<string> {
  const token = await tokenFor({ sub: `emp-${corporateNumber}`, role: 'employer', org: corporateNumber });
  const res = await call('PUT', '/v1/organisations/me', { token, body: { kind: 'employer', name, corporateNumber, headOffice } });
  expect(res.status, res.text).toBeLessThan(300);
  return token;
}

const catalog20File = (name: string) => readFileSync(new URL(`../fixtures/catalog/2.0/${name}`, import.meta.url));

/**
 * Installs the DSS-P 2.0 test catalog (test/fixtures/catalog/2.0) as current, as admin does,
 * and returns the address of the rebuild the install answers with in its Link header.
 */
export async function installCatalog20(adminJwt: string): Promise<string> {
  const v2 = catalogVersionFromFiles(JSON.parse(catalog20File('catalog.json').toString('utf8')), catalog20File('importance.csv'));
  if (!v2.ok) throw new Error(v2.errors.join('; '));
  const installed = await call('POST', '/v1/catalog/versions', { token: adminJwt, body: { catalog: v2.catalog, makeCurrent: true } });
  expect(installed.status, installed.text).toBe(201);
  const rebuildUrl = /<([^>]+)>/.exec(installed.headers.link ?? '')?.[1];
  expect(rebuildUrl).toMatch(/^\/v1\/rebuilds\/rbd_/);
  return rebuildUrl!;
}
