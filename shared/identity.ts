/**
 * Who is calling, as the domain sees it. The HTTP edge builds an Actor from a verified
 * token; domain code uses it for object-level checks (is this learner you, is this opening
 * in your prefecture) and never sees the token itself.
 */
export const roles = ['learner', 'provider', 'employer', 'municipality', 'center', 'admin'] as const;
export type Role = (typeof roles)[number];

export interface Actor {
  /** The token subject: stable per account. For a learner it is also the learner id. */
  sub: string;
  role: Role;
  /** Set for a center: the prefecture code (01..47) it serves. */
  prefecture?: string;
  /** Set for provider, employer and municipality: the organisation the account acts for. */
  org?: string;
}

/** Token claims carrying the role and scope; the same names in Cognito and locally. */
export const claimNames = {
  role: 'custom:role',
  prefecture: 'custom:prefecture',
  org: 'custom:org',
} as const;

export const isRole = (value: unknown): value is Role => roles.includes(value as Role);
