import * as z from 'zod/mini';
import { catalogVersionId } from '../catalog/model';
import { corporateNumber, localGovernmentCode, municipalityCode, prefectureCode } from '../ids';
import { pageQuery } from './common';
import { attainment, isoDate, slugId, text, uniqueList, workStyle } from './fields';

export const registerOrganisationBody = z.discriminatedUnion('kind', [
  /** headOffice: 6-digit local government code of the head office's municipality. */
  z.strictObject({ kind: z.literal('employer'), name: text(200), corporateNumber, headOffice: municipalityCode }),
  z.strictObject({ kind: z.literal('municipality'), name: text(200), localGovernmentCode }),
]);

export const openingId = z.string().check(z.regex(/^opn_[a-f0-9]{20}$/, 'an opening id looks like opn_ followed by 20 hex digits'));
export const openingParams = z.strictObject({ openingId });
export const openingStatus = z.enum(['draft', 'open', 'closed', 'filled']);

const requirement = z.strictObject({ skill: slugId, level: attainment });
const pay = z
  .strictObject({
    currency: z.literal('JPY'),
    unit: z.enum(['hour', 'month', 'year']),
    min: z.number().check(z.int(), z.gte(0), z.lte(100_000_000)),
    max: z.number().check(z.int(), z.gte(0), z.lte(100_000_000)),
  })
  .check(z.refine((p) => p.max >= p.min, 'pay.max must be at least pay.min'));

const openingFields = {
  title: text(200),
  description: text(5000),
  catalogVersion: catalogVersionId,
  roles: uniqueList(slugId, 5, 'roles').check(z.minLength(1, 'name at least one DSS-P role')),
  required: uniqueList(requirement, 30, 'required skills'),
  niceToHave: uniqueList(requirement, 30, 'nice-to-have skills'),
  workStyle,
  /** 6-digit local government code of the workplace (fixes the prefecture). */
  workplace: municipalityCode,
  headcount: z.number().check(z.int(), z.gte(1, 'headcount is at least 1'), z.lte(1000)),
  period: z.strictObject({ start: isoDate, end: z.optional(isoDate) }),
  deadline: isoDate,
  pay: z.optional(pay),
};

export const createOpeningBody = z.strictObject(openingFields);

/** Owners edit drafts freely; an open opening changes only its status (and deadline). */
export const patchOpeningBody = z
  .strictObject({
    title: z.optional(openingFields.title),
    description: z.optional(openingFields.description),
    roles: z.optional(openingFields.roles),
    required: z.optional(openingFields.required),
    niceToHave: z.optional(openingFields.niceToHave),
    workStyle: z.optional(openingFields.workStyle),
    workplace: z.optional(openingFields.workplace),
    headcount: z.optional(openingFields.headcount),
    period: z.optional(openingFields.period),
    deadline: z.optional(openingFields.deadline),
    pay: z.optional(pay),
    status: z.optional(z.enum(['open', 'closed'])),
  })
  .check(z.refine((body) => Object.keys(body).length > 0, 'send at least one field to change'));

export const listOpeningsQuery = z.strictObject({
  prefecture: z.optional(prefectureCode),
  role: z.optional(slugId),
  status: z.optional(openingStatus),
  ...pageQuery,
});

export const openingView = z.object({
  openingId: z.string(),
  organisation: z.object({ id: z.string(), kind: z.string(), name: z.string() }),
  title: z.string(),
  description: z.string(),
  catalogVersion: z.string(),
  roles: z.array(z.string()),
  required: z.array(z.object({ skill: z.string(), level: z.string() })),
  niceToHave: z.array(z.object({ skill: z.string(), level: z.string() })),
  workStyle: z.string(),
  workplace: z.object({ municipality: z.string(), prefecture: z.string() }),
  headcount: z.number(),
  period: z.object({ start: z.string(), end: z.optional(z.string()) }),
  deadline: z.string(),
  pay: z.optional(z.object({ currency: z.string(), unit: z.string(), min: z.number(), max: z.number() })),
  status: openingStatus,
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const openingList = z.object({ openings: z.array(openingView), cursor: z.optional(z.string()) });

export const organisationView = z.object({ id: z.string(), kind: z.string(), name: z.string(), prefecture: z.string(), registeredAt: z.string() });
