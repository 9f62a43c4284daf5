import { expect } from 'vitest';
import { addDays, japanDate } from '../../shared/time/japan-time';
import { seedBundledCatalog } from '../../shared/domain/catalog-seed';
import { call, tokenFor } from './api';

/** Small builders for the API tests: each step goes through the real API. */
export const seedCatalog = () => seedBundledCatalog(new Date('2026-04-01T00:00:00Z'));

export const learnerToken = (sub: string) => tokenFor({ sub, role: 'learner' });
export const providerToken = (org: string) => tokenFor({ sub: `${org}-staff`, role: 'provider', org });
export const centerToken = (prefecture: string) => tokenFor({ sub: `center-${prefecture}`, role: 'center', prefecture });
export const adminToken = () => tokenFor({ sub: 'admin-1', role: 'admin' });

export function courseBody(overrides: Record<string, unknown> = {}) {
  return {
    title: 'データエンジニアリング基礎',
    delivery: 'online',
    hours: 12,
    catalogVersion: '1.2',
    literacyItems: [{ item: 'what-data-handle', level: 'c' }],
    skills: [
      { skill: 'data-platform-design', level: 'a' },
      { skill: 'data-platform-operations', level: 'b' },
    ],
    certification: false,
    ...overrides,
  };
}

export async function registerCourse(providerTokenValue: string, overrides: Record<string, unknown> = {}): Promise<string> {
  const res = await call('POST', '/v1/courses', { token: providerTokenValue, body: courseBody(overrides) });
  expect(res.status, res.text).toBe(201);
  return res.json.courseId as string;
}

/** A full-time data-engineer opening in 鳥取市, deadline and start relative to today. */
export function openingBody(overrides: Record<string, unknown> = {}) {
  const today = japanDate(new Date());
  return {
    title: 'データエンジニア（鳥取）',
    description: '地域のデータ基盤を一緒に作る仕事です。',
    catalogVersion: '1.2',
    roles: ['data-engineer'],
    required: [
      { skill: 'data-platform-design', level: 'b' },
      { skill: 'data-platform-operations', level: 'b' },
    ],
    niceToHave: [{ skill: 'cloud-infrastructure', level: 'c' }],
    workStyle: 'full-time',
    workplace: '312011',
    headcount: 1,
    period: { start: addDays(today, 60) },
    deadline: addDays(today, 30),
    ...overrides,
  };
}

export function profileBody(overrides: Record<string, unknown> = {}) {
  return {
    residence: { municipality: '131016' },
    workPrefectures: ['31', '32'],
    workStyles: ['full-time', 'remote'],
    turn: { intent: 'i-turn' },
    matchingConsent: true,
    contact: { name: '山田 太郎', email: 'taro@example.jp', phone: '03-1234-5678' },
    ...overrides,
  };
}

export async function createLearner(sub: string, overrides: Record<string, unknown> = {}): Promise<string> {
  const token = await learnerToken(sub);
  const res = await call('PUT', '/v1/learners/me', { token, body: profileBody(overrides) });
  expect(res.status, res.text).toBeLessThan(300);
  return token;
}
