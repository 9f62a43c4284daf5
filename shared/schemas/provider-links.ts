import * as z from 'zod/mini';
import { providerId } from '../identity';

// Views are z.lazy, built on first use (only the OpenAPI document builds them).

export const providerLinkParams = z.strictObject({ providerId });

/**
 * A provider the learner allowed to report their completions, and since when; with the
 * account names the provider mapped to the learner for its xAPI statements, if any.
 */
export const providerLinkView = z.lazy(() => z.strictObject({ providerId: z.string(), linkedAt: z.string(), lmsAccounts: z.optional(z.array(z.string())) }));

/** The answer to PUT and DELETE: whether the provider is linked now. */
export const providerLinkAnswer = z.lazy(() => z.object({ providerId: z.string(), linked: z.boolean(), linkedAt: z.optional(z.string()) }));
