import * as z from 'zod/mini';
import { providerId } from '../identity';

// Views are z.lazy, built on first use (only the OpenAPI document builds them).

export const providerLinkParams = z.strictObject({ providerId });

/**
 * Optional: the learner's account name in the provider's learning system, so statements
 * its LMS sends about that account (xAPI `actor.account.name`) reach this learner.
 */
export const providerLinkBody = z.lazy(() =>
  z.strictObject({
    accountName: z.optional(z.string().check(z.minLength(1), z.maxLength(256), z.regex(/^\S(.*\S)?$/, 'no leading or trailing spaces'))),
  }),
);

/** A provider the learner allowed to report their completions, and since when. */
export const providerLinkView = z.lazy(() => z.object({ providerId: z.string(), linkedAt: z.string(), accountName: z.optional(z.string()) }));

/** The answer to PUT and DELETE: whether the provider is linked now. */
export const providerLinkAnswer = z.lazy(() =>
  z.object({ providerId: z.string(), linked: z.boolean(), linkedAt: z.optional(z.string()), accountName: z.optional(z.string()) }),
);
