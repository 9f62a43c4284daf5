import * as z from 'zod/mini';

// Bodies are built on first use; views are z.lazy (only the OpenAPI document builds them).

/** An achievement a learner holds: qualified:<rule>, role-ready:<catalog version>:<role>, course:<course id>. */
export const achievementKey = z
  .string()
  .check(
    z.regex(
      /^(qualified:[0-9A-Za-z.-]{1,32}|role-ready:[0-9A-Za-z.-]{1,32}:[a-z0-9-]{1,64}|course:crs_[A-Za-z0-9_-]{1,64})$/,
      'an achievement you hold, as GET /v1/learners/me/credentials lists it (qualified:<rule>, role-ready:<version>:<role> or course:<course id>)',
    ),
  );

export const issueCredentialBody = z.lazy(() => z.strictObject({ achievement: achievementKey }));

export const verifyCredentialBody = z.lazy(() =>
  z.strictObject({
    credential: z.string().check(z.minLength(1), z.maxLength(32_768, 'a credential in its JWT form, at most 32 KB')),
  }),
);

export const statusListParams = z.strictObject({
  list: z.string().check(z.regex(/^[1-9][0-9]{0,8}$/, 'a status list number')),
});

export const credentialView = z.lazy(() =>
  z.object({
    credentialId: z.string(),
    achievement: z.string(),
    issuedAt: z.string(),
    status: z.enum(['active', 'revoked']),
    revokedAt: z.optional(z.string()),
    statusListCredential: z.string(),
    statusListIndex: z.number(),
    credential: z.optional(z.string()),
  }),
);

export const myCredentials = z.lazy(() =>
  z.object({
    credentials: z.array(credentialView),
    achievements: z.array(z.object({ achievement: z.string(), name: z.string(), heldSince: z.string(), issued: z.boolean() })),
  }),
);

export const verification = z.lazy(() =>
  z.object({
    verified: z.boolean(),
    checks: z.array(z.object({ check: z.string(), ok: z.boolean(), reason: z.optional(z.string()) })),
    credential: z.optional(z.record(z.string(), z.unknown())),
  }),
);

export const jwks = z.lazy(() => z.object({ keys: z.array(z.record(z.string(), z.unknown())) }));

export const openBadgeDocument = z.lazy(() => z.record(z.string(), z.unknown()));
