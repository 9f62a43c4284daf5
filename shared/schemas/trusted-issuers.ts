import * as z from 'zod/mini';
import { courseId, httpsUrl, text } from './fields';

// Built on first use (z.lazy).

const issuerIdentifier = z
  .string()
  .check(z.maxLength(2048), z.regex(/^(https:\/\/[^\s]+|did:[a-z0-9]+:[^\s]+)$/, 'an issuer id: an https URL or a DID, as its credentials name their issuer'));
const jwk = z.record(z.string(), z.unknown()).check(z.refine((k) => typeof k.kty === 'string', 'a JWK has a kty'));

export const trustedIssuerBody = z.lazy(() =>
  z.strictObject({
    issuerId: issuerIdentifier,
    name: text(200),
    keys: z.optional(z.array(jwk).check(z.minLength(1), z.maxLength(20))),
    jwksUrl: z.optional(httpsUrl.check(z.refine((u) => u.startsWith('https://'), 'https only'))),
    statusListPrefix: z.optional(httpsUrl.check(z.refine((u) => u.startsWith('https://'), 'https only'))),
    achievements: z
      .array(z.strictObject({ achievementId: z.string().check(z.minLength(1), z.maxLength(2048), z.regex(/^\S+$/, 'an achievement id (a URI)')), courseId }))
      .check(
        z.minLength(1),
        z.maxLength(500),
        z.refine((list) => new Set(list.map((a) => a.achievementId)).size === list.length, 'each achievement maps to one course'),
      ),
  }),
);
export type TrustedIssuerInput = z.output<typeof trustedIssuerBody>;

export const trustedIssuerView = z.lazy(() =>
  z.object({
    issuerId: z.string(),
    name: z.string(),
    keys: z.optional(z.array(z.record(z.string(), z.unknown()))),
    jwksUrl: z.optional(z.string()),
    statusListPrefix: z.optional(z.string()),
    achievements: z.array(z.object({ achievementId: z.string(), courseId: z.string() })),
    updatedAt: z.string(),
    updatedBy: z.string(),
  }),
);
export const trustedIssuerList = z.lazy(() => z.object({ issuers: z.array(trustedIssuerView) }));

export const receivedCredentialBody = z.lazy(() =>
  z.strictObject({ credential: z.string().check(z.minLength(1), z.maxLength(65_536, 'a credential in its JWT form, at most 64 KB')) }),
);
export const receivedCredentialAnswer = z.lazy(() =>
  z.object({
    issuerId: z.string(),
    achievementId: z.string(),
    courseId: z.string(),
    completedOn: z.string(),
    outcome: z.enum(['created', 'verified', 'unchanged']),
  }),
);
