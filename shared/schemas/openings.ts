import * as z from 'zod/mini';
import { catalogVersionId } from '../catalog/terms';
import { corporateNumber, localGovernmentCode, municipalityCode, prefectureCode } from '../ids';
import { pageQuery } from './common';
import { attainment, isoDate, slugId, text, uniqueList, workStyle } from './fields';
import { queryBoolean } from './query';

// Bodies and views are z.lazy, built on first use: a function builds only the schemas its
// own route parses, and views only the OpenAPI document (docs/benchmarks.md, cold start).

/** The organisations that post openings; an account of the role of the same name acts for one. */
export const organisationKind = z.enum(['employer', 'municipality']);
export type OrganisationKind = z.output<typeof organisationKind>;

export const registerOrganisationBody = z.lazy(() =>
  z.discriminatedUnion('kind', [
    /** headOffice: 6-digit local government code of the head office's municipality. */
    z.strictObject({ kind: z.literal('employer'), name: text(200), corporateNumber, headOffice: municipalityCode }),
    z.strictObject({ kind: z.literal('municipality'), name: text(200), localGovernmentCode }),
  ]),
);
/** What an employer or municipality account writes about its organisation (PUT /v1/organisations/me). */
export type OrganisationInput = z.output<typeof registerOrganisationBody>;

export const openingId = z.string().check(z.regex(/^opn_[a-f0-9]{20}$/, 'an opening id looks like opn_ followed by 20 hex digits'));
export const openingParams = z.strictObject({ openingId });
export const openingStatus = z.enum(['draft', 'open', 'closed', 'filled']);
export type OpeningStatus = z.output<typeof openingStatus>;
export const payUnit = z.enum(['hour', 'month', 'year']);

const requirement = () => z.strictObject({ skill: slugId, level: attainment });
const pay = () =>
  z
    .strictObject({
      currency: z.literal('JPY'),
      unit: payUnit,
      min: z.number().check(z.int(), z.gte(0), z.lte(100_000_000)),
      max: z.number().check(z.int(), z.gte(0), z.lte(100_000_000)),
    })
    .check(z.refine((p) => p.max >= p.min, 'pay.max must be at least pay.min'));
export type Requirement = z.output<ReturnType<typeof requirement>>;
export type Pay = z.output<ReturnType<typeof pay>>;

const openingFields = () => ({
  title: text(200),
  description: text(5000),
  catalogVersion: catalogVersionId,
  roles: uniqueList(slugId, 5, 'roles').check(z.minLength(1, 'name at least one DSS-P role')),
  required: uniqueList(requirement(), 30, 'required skills'),
  niceToHave: uniqueList(requirement(), 30, 'nice-to-have skills'),
  workStyle,
  /** 6-digit local government code of the workplace (fixes the prefecture). */
  workplace: municipalityCode,
  /** The workplace municipality's name as an address writes it (鳥取市, 千代田区): the locality of the JobPosting's address. */
  workplaceName: z.optional(text(40)),
  headcount: z.number().check(z.int(), z.gte(1, 'headcount is at least 1'), z.lte(1000)),
  period: z.strictObject({ start: isoDate, end: z.optional(isoDate) }),
  deadline: isoDate,
  pay: z.optional(pay()),
});

export const createOpeningBody = z.lazy(() => z.strictObject(openingFields()));
/** What the owner writes (POST /v1/openings); `workplace` is a 6-digit municipality code. */
export type OpeningInput = z.output<typeof createOpeningBody>;

/** Owners edit drafts freely; an open opening changes only its status (and deadline). */
export const patchOpeningBody = z.lazy(() => {
  const fields = openingFields();
  return z
    .strictObject({
      title: z.optional(fields.title),
      description: z.optional(fields.description),
      roles: z.optional(fields.roles),
      required: z.optional(fields.required),
      niceToHave: z.optional(fields.niceToHave),
      workStyle: z.optional(fields.workStyle),
      workplace: z.optional(fields.workplace),
      workplaceName: fields.workplaceName,
      headcount: z.optional(fields.headcount),
      period: z.optional(fields.period),
      deadline: z.optional(fields.deadline),
      pay: z.optional(pay()),
      status: z.optional(z.enum(['open', 'closed'] satisfies OpeningStatus[])),
    })
    .check(z.refine((body) => Object.keys(body).length > 0, 'send at least one field to change'));
});
/** What the owner may change (PATCH /v1/openings/{id}); the catalog version is fixed. */
export type OpeningPatch = z.output<typeof patchOpeningBody>;

export const listOpeningsQuery = z.strictObject({
  prefecture: z.optional(prefectureCode),
  role: z.optional(slugId),
  /** A DSS-P skill the opening asks for (required or nice to have). */
  item: z.optional(slugId),
  workStyle: z.optional(workStyle),
  /** true: remote openings only; false: none of them. */
  remote: z.optional(queryBoolean('remote')),
  status: z.optional(openingStatus),
  ...pageQuery,
});

/** An organisation's own openings (GET /v1/organisations/me/openings): the search's filters, any status, no prefecture. */
export const ownOpeningsQuery = z.strictObject({
  role: listOpeningsQuery.shape.role,
  item: listOpeningsQuery.shape.item,
  workStyle: listOpeningsQuery.shape.workStyle,
  remote: listOpeningsQuery.shape.remote,
  status: listOpeningsQuery.shape.status,
  ...pageQuery,
});

/** An opening as clients see it; the stored item adds two members (shared/data/openings.ts). */
export const openingView = z.lazy(() =>
  z.object({
    openingId: z.string(),
    /** Denormalized for views; the name as it was when the opening was posted. */
    organisation: z.object({ id: z.string(), kind: organisationKind, name: z.string() }),
    title: z.string(),
    description: z.string(),
    catalogVersion: z.string(),
    roles: z.array(z.string()),
    required: z.array(z.object({ skill: z.string(), level: attainment })),
    niceToHave: z.array(z.object({ skill: z.string(), level: attainment })),
    workStyle,
    workplace: z.object({ municipality: z.string(), prefecture: z.string(), name: z.optional(z.string()) }),
    headcount: z.number(),
    period: z.object({ start: z.string(), end: z.optional(z.string()) }),
    /** Last day (Japan date) to apply. */
    deadline: z.string(),
    pay: z.optional(z.object({ currency: z.literal('JPY'), unit: payUnit, min: z.number(), max: z.number() })),
    status: openingStatus,
    createdAt: z.string(),
    updatedAt: z.string(),
  }),
);
export type OpeningView = z.output<typeof openingView>;

export const openingList = z.lazy(() => z.object({ openings: z.array(openingView), cursor: z.optional(z.string()) }));

/**
 * An employer (id = its 13-digit corporate number, 法人番号) or a municipality (id = its
 * 6-digit local government code), as stored and as shown. The id is also the `org` claim
 * of its accounts.
 */
export const organisationView = z.lazy(() =>
  z.object({
    id: z.string(),
    kind: organisationKind,
    name: z.string(),
    /** Employer: the prefecture of the head office; municipality: its own prefecture. */
    prefecture: z.string(),
    /** Employer only: 6-digit local government code of the head office's municipality. */
    headOffice: z.optional(z.string()),
    registeredAt: z.string(),
    updatedAt: z.string(),
  }),
);
export type Organisation = z.output<typeof organisationView>;

/**
 * The schema.org JobPosting (JSON-LD) of an open opening (shared/domain/job-posting.ts), as
 * this API writes it: strict, so a member added there must be declared here too.
 */
export const jobPostingDocument = z.lazy(() =>
  z.strictObject({
    '@context': z.literal('https://schema.org'),
    '@type': z.literal('JobPosting'),
    identifier: z.strictObject({ '@type': z.literal('PropertyValue'), propertyID: z.string(), name: z.string(), value: z.string() }),
    url: z.string(),
    directApply: z.literal(false),
    title: z.string(),
    description: z.string(),
    datePosted: z.iso.date(),
    validThrough: z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}T23:59:59\+09:00$/)),
    employmentType: z.enum(['FULL_TIME', 'PART_TIME', 'CONTRACTOR']),
    jobLocationType: z.optional(z.literal('TELECOMMUTE')),
    applicantLocationRequirements: z.optional(z.strictObject({ '@type': z.literal('Country'), name: z.literal('JP') })),
    hiringOrganization: z.strictObject({ '@type': z.literal('Organization'), name: z.string(), identifier: z.string() }),
    jobLocation: z.strictObject({
      '@type': z.literal('Place'),
      identifier: z.string(),
      address: z.strictObject({
        '@type': z.literal('PostalAddress'),
        addressLocality: z.optional(z.string()),
        addressRegion: z.string(),
        addressCountry: z.literal('JP'),
      }),
    }),
    skills: z.array(z.string()),
    occupationalCategory: z.array(z.string()),
    totalJobOpenings: z.int(),
    baseSalary: z.optional(
      z.strictObject({
        '@type': z.literal('MonetaryAmount'),
        currency: z.literal('JPY'),
        value: z.strictObject({
          '@type': z.literal('QuantitativeValue'),
          minValue: z.number(),
          maxValue: z.number(),
          unitText: z.enum(['HOUR', 'MONTH', 'YEAR']),
        }),
      }),
    ),
  }),
);
