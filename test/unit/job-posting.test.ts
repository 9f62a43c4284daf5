import { describe, expect, it } from 'vitest';
import { bundledCatalogVersions } from '../../shared/catalog/bundled';
import type { Opening } from '../../shared/data/openings';
import { jobPosting, serializeJsonLd } from '../../shared/domain/job-posting';

const catalog = bundledCatalogVersions().find((c) => c.version === '1.2')!;

function opening(overrides: Partial<Opening> = {}): Opening {
  return {
    openingId: 'opn_0123456789abcdef0123',
    ownerOrg: '7123456789012',
    organisation: { id: '7123456789012', kind: 'employer', name: '株式会社因幡データ' },
    title: 'データエンジニア',
    description: '鳥取市でデータ基盤を作る仕事です。',
    catalogVersion: '1.2',
    roles: ['data-engineer'],
    required: [{ skill: 'data-platform-design', level: 'b' }],
    niceToHave: [{ skill: 'cloud-infrastructure', level: 'c' }],
    workStyle: 'full-time',
    workplace: { municipality: '312011', prefecture: '31' },
    headcount: 2,
    period: { start: '2026-10-01' },
    deadline: '2026-09-15',
    pay: { currency: 'JPY', unit: 'year', min: 4_000_000, max: 6_000_000 },
    status: 'open',
    // 15:30 UTC on 08-31 is 00:30 on 09-01 in Japan: the posting date is Japan's.
    createdAt: '2026-08-31T15:30:00.000Z',
    updatedAt: '2026-08-31T15:30:00.000Z',
    version: 2,
    ...overrides,
  };
}

describe('jobPosting (schema.org JSON-LD)', () => {
  it('maps an open opening to a JobPosting', () => {
    const posting = jobPosting(opening(), catalog);
    expect(posting['@context']).toBe('https://schema.org');
    expect(posting['@type']).toBe('JobPosting');
    expect(posting.title).toBe('データエンジニア');
    expect(posting.description).toBe('鳥取市でデータ基盤を作る仕事です。');
    expect(posting.totalJobOpenings).toBe(2);
    expect(posting.hiringOrganization).toEqual({ '@type': 'Organization', name: '株式会社因幡データ', identifier: '7123456789012' });
    expect(posting.jobLocation).toEqual({
      '@type': 'Place',
      identifier: '312011',
      address: { '@type': 'PostalAddress', addressRegion: '鳥取県', addressCountry: 'JP' },
    });
  });

  it('dates the posting by the Japan date of creation and ends it at the close of the deadline day in Japan', () => {
    const posting = jobPosting(opening(), catalog);
    expect(posting.datePosted).toBe('2026-09-01');
    expect(posting.validThrough).toBe('2026-09-15T23:59:59+09:00');
    expect(new Date(posting.validThrough).toISOString()).toBe('2026-09-15T14:59:59.000Z');
  });

  it('names skills and roles from the catalog, Japanese with English in parentheses', () => {
    const posting = jobPosting(opening(), catalog);
    expect(posting.skills).toEqual(['データ活用基盤設計 (Data platform design)', 'クラウドインフラ活用 (Using cloud infrastructure)']);
    expect(posting.occupationalCategory).toEqual(['データエンジニア (Data engineer)']);
  });

  it('maps each work style to an employment type; remote is full-time telecommuting', () => {
    expect(jobPosting(opening({ workStyle: 'full-time' }), catalog).employmentType).toBe('FULL_TIME');
    expect(jobPosting(opening({ workStyle: 'side-job' }), catalog).employmentType).toBe('PART_TIME');
    expect(jobPosting(opening({ workStyle: 'dispatch' }), catalog).employmentType).toBe('CONTRACTOR');
    const remote = jobPosting(opening({ workStyle: 'remote' }), catalog);
    expect(remote.employmentType).toBe('FULL_TIME');
    expect(remote.jobLocationType).toBe('TELECOMMUTE');
    expect(jobPosting(opening({ workStyle: 'full-time' }), catalog).jobLocationType).toBeUndefined();
  });

  it('gives the base salary as a MonetaryAmount when pay is given, and none otherwise', () => {
    expect(jobPosting(opening(), catalog).baseSalary).toEqual({
      '@type': 'MonetaryAmount',
      currency: 'JPY',
      value: { '@type': 'QuantitativeValue', minValue: 4_000_000, maxValue: 6_000_000, unitText: 'YEAR' },
    });
    const hourly = jobPosting(opening({ pay: { currency: 'JPY', unit: 'hour', min: 1500, max: 2500 } }), catalog);
    expect(hourly.baseSalary?.value.unitText).toBe('HOUR');
    const monthly = jobPosting(opening({ pay: { currency: 'JPY', unit: 'month', min: 300_000, max: 300_000 } }), catalog);
    expect(monthly.baseSalary?.value.unitText).toBe('MONTH');
    const unpaid = jobPosting(opening({ pay: undefined }), catalog);
    expect(unpaid).not.toHaveProperty('baseSalary');
  });

  it('names a municipality as the hiring organisation by its local government code', () => {
    const posting = jobPosting(opening({ ownerOrg: '312011', organisation: { id: '312011', kind: 'municipality', name: '鳥取市' } }), catalog);
    expect(posting.hiringOrganization.identifier).toBe('312011');
    expect(posting.hiringOrganization.name).toBe('鳥取市');
  });

  it('carries no internal fields (owner account, version, status)', () => {
    const text = JSON.stringify(jobPosting(opening(), catalog));
    expect(text).not.toContain('ownerOrg');
    expect(text).not.toContain('"version"');
    expect(text).not.toContain('opn_');
  });
});

describe('serializeJsonLd', () => {
  const hostile = '</script><script>alert(1)</script> & more <!-- \\< -->';

  it('escapes <, > and & so the text cannot end or alter an HTML script element', () => {
    const posting = jobPosting(opening({ title: hostile, description: hostile }), catalog);
    const text = serializeJsonLd(posting);
    expect(text).not.toMatch(/[<>&]/);
    expect(text).toContain('\\u003c/script\\u003e');
    expect(text).toContain('\\u0026 more');
    expect(JSON.parse(text)).toEqual(posting);
  });

  it('is JSON.stringify where there is nothing to escape', () => {
    const posting = jobPosting(opening(), catalog);
    expect(serializeJsonLd(posting)).toBe(JSON.stringify(posting));
  });
});
