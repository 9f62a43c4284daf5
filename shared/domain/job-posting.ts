import type { CatalogVersion } from '../catalog/model';
import type { Opening } from '../data/openings';
import { isPrefectureCode, prefectureName } from '../ids';
import { japanDate } from '../time/japan-time';

/**
 * An open opening as a schema.org JobPosting (JSON-LD), the form job search engines read
 * (Google's required properties: title, description, datePosted, hiringOrganization,
 * jobLocation with an address, or applicantLocationRequirements for remote work).
 * Pure: the opening, its catalog version and the service's public base URL in, the document out.
 */
export interface JobPosting {
  '@context': 'https://schema.org';
  '@type': 'JobPosting';
  /** The opening's id, scoped by the organisation that posted it (its corporate number or local government code). */
  identifier: { '@type': 'PropertyValue'; propertyID: string; name: string; value: string };
  /** Where the opening itself is read. */
  url: string;
  /**
   * false: nobody applies on that page; candidates are proposed to the opening by the
   * prefecture's matching rounds (a learner consents to matching instead of applying).
   */
  directApply: false;
  title: string;
  description: string;
  /** The Japan date the opening was posted. */
  datePosted: string;
  /** The end of the deadline day in Japan. */
  validThrough: string;
  employmentType: 'FULL_TIME' | 'PART_TIME' | 'CONTRACTOR';
  jobLocationType?: 'TELECOMMUTE';
  applicantLocationRequirements?: { '@type': 'Country'; name: 'JP' };
  hiringOrganization: { '@type': 'Organization'; name: string; identifier: string };
  jobLocation: {
    '@type': 'Place';
    /** The workplace's 6-digit local government code. */
    identifier: string;
    /** addressLocality: the workplace municipality's name, when the owner gave it. */
    address: { '@type': 'PostalAddress'; addressLocality?: string; addressRegion: string; addressCountry: 'JP' };
  };
  skills: string[];
  occupationalCategory: string[];
  totalJobOpenings: number;
  baseSalary?: {
    '@type': 'MonetaryAmount';
    currency: 'JPY';
    value: { '@type': 'QuantitativeValue'; minValue: number; maxValue: number; unitText: 'HOUR' | 'MONTH' | 'YEAR' };
  };
}

const employmentTypes = {
  'full-time': 'FULL_TIME',
  'side-job': 'PART_TIME',
  dispatch: 'CONTRACTOR',
  remote: 'FULL_TIME',
} as const satisfies Record<Opening['workStyle'], JobPosting['employmentType']>;

const unitTexts = { hour: 'HOUR', month: 'MONTH', year: 'YEAR' } as const;

/** "Japanese (English)", as the catalog names things; the id if the catalog lacks it. */
const bilingual = (named: { ja: string; en: string } | undefined, id: string) => (named ? `${named.ja} (${named.en})` : id);

export function jobPosting(opening: Opening, catalog: Pick<CatalogVersion, 'promotion'>, baseUrl: string): JobPosting {
  const skills = new Map(catalog.promotion.skills.map((s) => [s.id, s]));
  const roles = new Map(catalog.promotion.roles.map((r) => [r.id, r]));
  const prefecture = opening.workplace.prefecture;
  const skillIds = [...new Set([...opening.required, ...opening.niceToHave].map((r) => r.skill))];
  return {
    '@context': 'https://schema.org',
    '@type': 'JobPosting',
    identifier: { '@type': 'PropertyValue', propertyID: opening.organisation.id, name: opening.organisation.name, value: opening.openingId },
    url: `${baseUrl}/v1/openings/${encodeURIComponent(opening.openingId)}`,
    directApply: false,
    title: opening.title,
    description: opening.description,
    datePosted: japanDate(new Date(opening.createdAt)),
    validThrough: `${opening.deadline}T23:59:59+09:00`,
    employmentType: employmentTypes[opening.workStyle],
    ...(opening.workStyle === 'remote'
      ? { jobLocationType: 'TELECOMMUTE' as const, applicantLocationRequirements: { '@type': 'Country' as const, name: 'JP' as const } }
      : {}),
    hiringOrganization: { '@type': 'Organization', name: opening.organisation.name, identifier: opening.organisation.id },
    jobLocation: {
      '@type': 'Place',
      identifier: opening.workplace.municipality,
      address: {
        '@type': 'PostalAddress',
        ...(opening.workplace.name ? { addressLocality: opening.workplace.name } : {}),
        addressRegion: isPrefectureCode(prefecture) ? prefectureName(prefecture, 'ja') : prefecture,
        addressCountry: 'JP',
      },
    },
    skills: skillIds.map((id) => bilingual(skills.get(id), id)),
    occupationalCategory: opening.roles.map((id) => bilingual(roles.get(id), id)),
    totalJobOpenings: opening.headcount,
    ...(opening.pay
      ? {
          baseSalary: {
            '@type': 'MonetaryAmount' as const,
            currency: opening.pay.currency,
            value: { '@type': 'QuantitativeValue' as const, minValue: opening.pay.min, maxValue: opening.pay.max, unitText: unitTexts[opening.pay.unit] },
          },
        }
      : {}),
  };
}

/**
 * JSON-LD text safe to embed in an HTML <script> element: `<`, `>` and `&` become JSON
 * unicode escapes, so no "</script>" or "<!--" can end or alter the element, and
 * JSON.parse of the text gives the same value.
 */
export const serializeJsonLd = (document: object): string =>
  JSON.stringify(document).replace(/[<>&]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
