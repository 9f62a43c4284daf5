import { addDays, japanDate } from '../../shared/time/japan-time';

/**
 * Valid request bodies for the API, overridable field by field. Pure (no product data
 * modules), so the benchmarks can import them before their environment is ready.
 */
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
