import { expect } from 'vitest';
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

export async function registerCourse(providerTokenValue: string, overrides: Record<string, unknown> = {}): Promise<string> {
  const res = await call('POST', '/v1/courses', { token: providerTokenValue, body: courseBody(overrides) });
  expect(res.status, res.text).toBe(201);
  return res.json.courseId as string;
}

export async function createLearner(sub: string, overrides: Record<string, unknown> = {}): Promise<string> {
  const token = await learnerToken(sub);
  const res = await call('PUT', '/v1/learners/me', { token, body: profileBody(overrides) });
  expect(res.status, res.text).toBeLessThan(300);
  return token;
}

/** An employer account whose organisation is registered (head office in 鳥取市 unless given). */
export async function registerEmployer(corporateNumber: string, name: string, headOffice = '312011'): Promise<string> {
  const token = await tokenFor({ sub: `emp-${corporateNumber}`, role: 'employer', org: corporateNumber });
  const res = await call('PUT', '/v1/organisations/me', { token, body: { kind: 'employer', name, corporateNumber, headOffice } });
  expect(res.status, res.text).toBeLessThan(300);
  return token;
}
