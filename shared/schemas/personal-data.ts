import * as z from 'zod/mini';
import { completionView } from './completions';
import { workStyle } from './fields';
import { contact, qualificationView, turnIntent } from './learners';
import { storedProposal } from './matching';
import { providerLinkView } from './provider-links';

// The APPI disclosure (GET /v1/learners/me/export): everything held about the learner, as
// stored. Its own module, so only that route's function builds these schemas.

/** The members of a lazily built object schema, to extend it with what the stored record adds. */
const shapeOf = <S extends z.ZodMiniObject>(view: z.ZodMiniLazy<S>): S['shape'] => view._zod.def.getter().shape;

const consent = { matching: z.boolean(), placeFree: z.optional(z.boolean()) };

export const personalDataExport = z.lazy(() =>
  z.strictObject({
    learnerId: z.string(),
    exportedAt: z.iso.datetime(),
    profile: z.nullable(
      z.strictObject({
        learnerId: z.string(),
        residence: z.strictObject({ prefecture: z.string(), municipality: z.string() }),
        workPrefectures: z.array(z.string()),
        workStyles: z.array(workStyle),
        turn: z.strictObject({ intent: turnIntent, hometownPrefecture: z.optional(z.string()) }),
        consent: z.strictObject({ ...consent, changedAt: z.iso.datetime() }),
        consentHistory: z.array(z.strictObject({ ...consent, at: z.iso.datetime() })),
        createdAt: z.iso.datetime(),
        updatedAt: z.iso.datetime(),
      }),
    ),
    contact: z.nullable(contact),
    providerLinks: z.array(providerLinkView),
    /** As stored: the residence prefecture when recorded, and the record's write version. */
    completions: z.array(z.strictObject({ ...shapeOf(completionView), prefecture: z.string(), version: z.int() })),
    skills: z.strictObject({ currentVersion: z.nullable(z.string()), tags: z.array(z.string()) }),
    qualifications: z.array(z.strictObject({ ...shapeOf(qualificationView), learnerId: z.string(), version: z.int() })),
    proposals: z.array(storedProposal),
    rankLists: z.array(z.strictObject({ cycleId: z.string(), openings: z.array(z.string()), submittedAt: z.iso.datetime() })),
    cycleOutcomes: z.array(
      z.strictObject({
        cycleId: z.string(),
        listUsed: z.enum(['own-list', 'fit-order']),
        matchedOpening: z.optional(z.string()),
        reasons: z.array(
          z.strictObject({
            openingId: z.string(),
            reason: z.enum(['matched', 'matched-higher-choice', 'filled-by-higher-ranked', 'regional-cap', 'not-on-opening-list']),
          }),
        ),
      }),
    ),
    /** Who read or changed data about the learner, and when. */
    accessLog: z.array(
      z.strictObject({
        at: z.iso.datetime(),
        actor: z.strictObject({ sub: z.string(), role: z.string(), prefecture: z.optional(z.string()), org: z.optional(z.string()) }),
        action: z.string(),
        subject: z.string(),
        details: z.optional(z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]))),
      }),
    ),
  }),
);
