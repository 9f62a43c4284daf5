import { createRequire } from 'node:module';
import type { JobPosting as SchemaJobPosting, WithContext } from 'schema-dts';
import { describe, expect, it } from 'vitest';
import { bundledCatalogVersions } from '../../shared/catalog/bundled';
import type { Opening } from '../../shared/data/openings';
import { jobPosting, serializeJsonLd } from '../../shared/domain/job-posting';

const catalog = bundledCatalogVersions().find((c) => c.version === '1.2')!;
const BASE = 'https://kanryu.example.jp';

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
    const posting = jobPosting(opening(), catalog, BASE);
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
    const posting = jobPosting(opening(), catalog, BASE);
    expect(posting.datePosted).toBe('2026-09-01');
    expect(posting.validThrough).toBe('2026-09-15T23:59:59+09:00');
    expect(new Date(posting.validThrough).toISOString()).toBe('2026-09-15T14:59:59.000Z');
  });

  it('names skills and roles from the catalog, Japanese with English in parentheses', () => {
    const posting = jobPosting(opening(), catalog, BASE);
    expect(posting.skills).toEqual(['データ活用基盤設計 (Data platform design)', 'クラウドインフラ活用 (Using cloud infrastructure)']);
    expect(posting.occupationalCategory).toEqual(['データエンジニア (Data engineer)']);
  });

  it('maps each work style to an employment type; remote is full-time telecommuting', () => {
    expect(jobPosting(opening({ workStyle: 'full-time' }), catalog, BASE).employmentType).toBe('FULL_TIME');
    expect(jobPosting(opening({ workStyle: 'side-job' }), catalog, BASE).employmentType).toBe('PART_TIME');
    expect(jobPosting(opening({ workStyle: 'dispatch' }), catalog, BASE).employmentType).toBe('CONTRACTOR');
    const remote = jobPosting(opening({ workStyle: 'remote' }), catalog, BASE);
    expect(remote.employmentType).toBe('FULL_TIME');
    expect(remote.jobLocationType).toBe('TELECOMMUTE');
    expect(jobPosting(opening({ workStyle: 'full-time' }), catalog, BASE).jobLocationType).toBeUndefined();
  });

  it('gives the base salary as a MonetaryAmount when pay is given, and none otherwise', () => {
    expect(jobPosting(opening(), catalog, BASE).baseSalary).toEqual({
      '@type': 'MonetaryAmount',
      currency: 'JPY',
      value: { '@type': 'QuantitativeValue', minValue: 4_000_000, maxValue: 6_000_000, unitText: 'YEAR' },
    });
    const hourly = jobPosting(opening({ pay: { currency: 'JPY', unit: 'hour', min: 1500, max: 2500 } }), catalog, BASE);
    expect(hourly.baseSalary?.value.unitText).toBe('HOUR');
    const monthly = jobPosting(opening({ pay: { currency: 'JPY', unit: 'month', min: 300_000, max: 300_000 } }), catalog, BASE);
    expect(monthly.baseSalary?.value.unitText).toBe('MONTH');
    const unpaid = jobPosting(opening({ pay: undefined }), catalog, BASE);
    expect(unpaid).not.toHaveProperty('baseSalary');
  });

  it('names a municipality as the hiring organisation by its local government code', () => {
    const posting = jobPosting(opening({ ownerOrg: '312011', organisation: { id: '312011', kind: 'municipality', name: '鳥取市' } }), catalog, BASE);
    expect(posting.hiringOrganization.identifier).toBe('312011');
    expect(posting.hiringOrganization.name).toBe('鳥取市');
  });

  it('carries no internal fields (owner account, version, status)', () => {
    const text = JSON.stringify(jobPosting(opening(), catalog, BASE));
    expect(text).not.toContain('ownerOrg');
    expect(text).not.toContain('"version"');
    expect(text).not.toContain('"status"');
  });

  it('identifies the opening by its id under the organisation, links it, and says candidates do not apply there', () => {
    const posting = jobPosting(opening(), catalog, BASE);
    expect(posting.identifier).toEqual({
      '@type': 'PropertyValue',
      propertyID: '7123456789012',
      name: '株式会社因幡データ',
      value: 'opn_0123456789abcdef0123',
    });
    expect(posting.url).toBe('https://kanryu.example.jp/v1/openings/opn_0123456789abcdef0123');
    expect(posting.directApply).toBe(false);
  });

  it('names the workplace municipality as the locality of the address when the owner gave its name', () => {
    const named = jobPosting(opening({ workplace: { municipality: '312011', prefecture: '31', name: '鳥取市' } }), catalog, BASE);
    expect(named.jobLocation).toEqual({
      '@type': 'Place',
      identifier: '312011',
      address: { '@type': 'PostalAddress', addressLocality: '鳥取市', addressRegion: '鳥取県', addressCountry: 'JP' },
    });
  });
});

describe('serializeJsonLd', () => {
  const hostile = '</script><script>alert(1)</script> & more <!-- \\< -->';

  it('escapes <, > and & so the text cannot end or alter an HTML script element', () => {
    const posting = jobPosting(opening({ title: hostile, description: hostile }), catalog, BASE);
    const text = serializeJsonLd(posting);
    expect(text).not.toMatch(/[<>&]/);
    expect(text).toContain('\\u003c/script\\u003e');
    expect(text).toContain('\\u0026 more');
    expect(JSON.parse(text)).toEqual(posting);
  });

  it('is JSON.stringify where there is nothing to escape', () => {
    const posting = jobPosting(opening(), catalog, BASE);
    expect(serializeJsonLd(posting)).toBe(JSON.stringify(posting));
  });
});

describe('the JobPosting as schema.org JSON-LD', () => {
  // jsonld ships no types; the two calls the test makes.
  const jsonld = createRequire(import.meta.url)('jsonld') as {
    expand(
      document: object,
      options: { documentLoader: (url: string) => Promise<{ contextUrl: null; documentUrl: string; document: object }> },
    ): Promise<Expanded[]>;
  };
  type Expanded = Record<string, { '@value'?: unknown; '@id'?: string; '@type'?: string[] }[] & Expanded[]> & { '@type'?: string[] };
  // schema.org's own context, served offline: its vocabulary, and url as an IRI as schema.org declares it.
  const SCHEMA_ORG_CONTEXT = { '@context': { '@vocab': 'http://schema.org/', url: { '@type': '@id' } } };
  const documentLoader = async (url: string) => {
    if (!/^https?:\/\/schema\.org\/?/.test(url)) throw new Error(`no network in tests: ${url}`);
    return { contextUrl: null, documentUrl: url, document: SCHEMA_ORG_CONTEXT };
  };
  const S = 'http://schema.org/';

  it('is typed by schema-dts as a schema.org JobPosting', () => {
    const posting: WithContext<SchemaJobPosting> = jobPosting(opening({ workStyle: 'remote' }), catalog, BASE);
    expect(posting['@type']).toBe('JobPosting');
  });

  it('expands with the identifier, url, directApply and the municipality in the address', async () => {
    const posting = jobPosting(opening({ workplace: { municipality: '312011', prefecture: '31', name: '鳥取市' } }), catalog, BASE);
    const [expanded] = await jsonld.expand(posting, { documentLoader });
    expect(expanded!['@type']).toEqual([`${S}JobPosting`]);
    const [identifier] = expanded![`${S}identifier`]!;
    expect(identifier!['@type']).toEqual([`${S}PropertyValue`]);
    expect(identifier![`${S}value`]![0]!['@value']).toBe('opn_0123456789abcdef0123');
    expect(identifier![`${S}propertyID`]![0]!['@value']).toBe('7123456789012');
    expect(expanded![`${S}url`]![0]!['@id']).toBe(`${BASE}/v1/openings/opn_0123456789abcdef0123`);
    expect(expanded![`${S}directApply`]![0]!['@value']).toBe(false);
    const [address] = expanded![`${S}jobLocation`]![0]![`${S}address`]!;
    expect(address![`${S}addressLocality`]![0]!['@value']).toBe('鳥取市');
    expect(address![`${S}addressRegion`]![0]!['@value']).toBe('鳥取県');
    // Google's required properties survive the expansion.
    for (const property of ['title', 'description', 'datePosted', 'hiringOrganization', 'jobLocation', 'validThrough', 'employmentType']) {
      expect(expanded, property).toHaveProperty([`${S}${property}`]);
    }
  });
});
