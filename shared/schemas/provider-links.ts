import * as z from 'zod/mini';
import { providerId } from '../identity';

// Views are z.lazy, built on first use (only the OpenAPI document builds them).

export const providerLinkParams = z.strictObject({ providerId });

/** A provider the learner allowed to report their completions, and since when. */
export const providerLinkView = z.lazy(() => z.object({ providerId: z.string(), linkedAt: z.string() }));

/** The answer to PUT and DELETE: whether the provider is linked now. */
export const providerLinkAnswer = z.lazy(() => z.object({ providerId: z.string(), linked: z.boolean(), linkedAt: z.optional(z.string()) }));
