import * as z from 'zod/mini';
import { corporateNumber, localGovernmentCode } from './ids';

/**
 * Who is calling, as the domain sees it. The HTTP edge builds an Actor from a verified
 * token; domain code uses it for object-level checks (is this learner you, is this opening
 * in your prefecture) and never sees the token itself.
 */
export const roles = ['learner', 'provider', 'employer', 'municipality', 'center', 'admin'] as const;
export type Role = (typeof roles)[number];

/** Roles held by accounts of the staff pool: created by administrators, MFA required. */
export const staffRoles = ['provider', 'employer', 'municipality', 'center', 'admin'] as const satisfies readonly Role[];
export type StaffRole = (typeof staffRoles)[number];

export interface Actor {
  /** The token subject: stable per account. For a learner it is also the learner id. */
  sub: string;
  role: Role;
  /** Set for a center: the prefecture code (01..47) it serves. */
  prefecture?: string;
  /**
   * Set for provider, employer and municipality: the organisation the account acts for
   * (a provider id, a corporate number, a 6-digit local government code).
   */
  org?: string;
}

/**
 * Token claims, the same names in Cognito and locally. A staff account's role is its
 * Cognito group (groups are assigned only with administrator APIs); prefecture and
 * organisation are custom attributes that no app client may write.
 */
export const claimNames = {
  groups: 'cognito:groups',
  prefecture: 'custom:prefecture',
  org: 'custom:org',
} as const;

export const isRole = (value: unknown): value is Role => roles.includes(value as Role);
export const isStaffRole = (value: unknown): value is StaffRole => staffRoles.includes(value as StaffRole);

/** Cognito subs are UUIDs; the development tokens and fixtures follow the same alphabet. */
export const subject = z.string().check(z.regex(/^[A-Za-z0-9-]{1,64}$/, 'an account id of 1-64 letters, digits or hyphens'));
/** Provider ids are issued by the national office. */
export const providerId = z.string().check(z.regex(/^[a-z0-9-]{3,64}$/, 'a provider id of 3-64 lower-case letters, digits or hyphens'));

/** What an organisation claim must be, by the role that acts for it; the output is canonical. */
export const organisationIdOf = {
  provider: providerId,
  employer: corporateNumber,
  // Government data sets use the 5-digit form; both mean the 6-digit code with its check digit.
  municipality: localGovernmentCode,
} as const;

/** Claims every token must carry, from either pool. */
export const baseClaims = z.object({
  sub: subject,
  exp: z.number({ error: 'required: the expiry time, in seconds since 1970' }),
  token_use: z.literal('id', 'an ID token (token_use "id"): it carries the role claims'),
});

/**
 * The caller's whole identity as one string: what stored answers and cursors are bound
 * to, so two accounts that share a subject (one per pool) never share either.
 */
export const identityKey = (actor: Actor | undefined) => (actor ? [actor.role, actor.org ?? '', actor.prefecture ?? '', actor.sub].join('|') : 'anonymous');
