import * as z from 'zod/mini';
import { prefectureCode } from '../ids';
import { isValidIsoDate } from '../time/japan-time';
import { isoDate } from './fields';
import { queryBoolean, queryInteger } from './query';
import { pageQuery } from './common';
import { answerFormat } from './progress';

// Bodies and views are z.lazy, built on first use: a function builds only the schemas its
// own route parses, and views only the OpenAPI document (docs/benchmarks.md, cold start).

export const candidatesQuery = z.strictObject({
  /** Centers may count self-reported evidence too; organisations never. */
  includeSelfReported: z.optional(queryBoolean('includeSelfReported')),
  limit: pageQuery.limit,
  cursor: pageQuery.cursor,
});

export const createMatchRunBody = z.lazy(() =>
  z.strictObject({
    prefecture: prefectureCode,
    /** Compute and store the outcome for review without publishing proposals. */
    dryRun: z._default(z.boolean(), true),
    includeSelfReported: z._default(z.boolean(), false),
  }),
);

export const runId = z.string().check(z.regex(/^run_[a-f0-9]{20}$/, 'a match run id looks like run_ followed by 20 hex digits'));
export const runParams = z.strictObject({ runId });
export const proposalId = z.string().check(z.regex(/^prp_[a-f0-9]{24}$/, 'a proposal id looks like prp_ followed by 24 hex digits'));
export const proposalParams = z.strictObject({ proposalId });
export const decision = z.enum(['accept', 'decline']);
export type Decision = z.output<typeof decision>;
export const decisionBody = z.lazy(() => z.strictObject({ decision }));
export const listProposalsQuery = z.strictObject({ ...pageQuery });
export const placementEndBody = z.lazy(() =>
  z.strictObject({
    /** The placement's last day (Japan date), between the day it was accepted and today. */
    endedOn: isoDate.check(z.refine(isValidIsoDate, 'the end date does not exist on the calendar')),
  }),
);

export const placementsQuery = z.strictObject({
  fiscalYear: z.optional(queryInteger(/^20\d\d$/, 'a fiscal year like 2025', { min: 2022, max: 2099, message: 'the target window starts in FY2022' })),
  prefecture: z.optional(prefectureCode),
  format: z.optional(answerFormat),
});

export const nationalRunBody = z.lazy(() =>
  z.strictObject({
    dryRun: z._default(z.boolean(), true),
    includeSelfReported: z._default(z.boolean(), false),
  }),
);
export const nationalRunParams = z.strictObject({
  nationalRunId: z.string().check(z.regex(/^nrun_[a-f0-9]{20}$/, 'a national run id looks like nrun_ followed by 20 hex digits')),
});

// Views (issue 13): what the matching routes answer, strict so that the tests' validation
// against the document catches any member the document does not name.

const isoTime = z.iso.datetime();
const matchCounts = z.strictObject({ openings: z.int(), seats: z.int(), candidates: z.int(), matched: z.int(), unmatched: z.int() });

/** A round as requested, computed, or failed (shared/data/matching.ts RequestedRun | MatchRun). */
const matchRunShape = () => ({
  runId,
  prefecture: prefectureCode,
  createdBy: z.strictObject({ sub: z.string(), role: z.string() }),
  createdAt: isoTime,
  dryRun: z.boolean(),
  includeSelfReported: z.boolean(),
  status: z.enum(['computing', 'failed', 'unpublished', 'publishing', 'published']),
  /** Why the job gave up (status failed). */
  failure: z.optional(z.string()),
  counts: z.optional(matchCounts),
  stable: z.optional(z.boolean()),
  computedAt: z.optional(isoTime),
  publishedAt: z.optional(isoTime),
});
export const matchRunView = z.lazy(() => z.strictObject(matchRunShape()));
/** The round just published, and how many of its proposals were withdrawn then (the candidate no longer one). */
export const publishedMatchRun = z.lazy(() => z.strictObject({ ...matchRunShape(), withdrawnAtPublication: z.int() }));

const itemFit = z.strictObject({
  skill: z.string(),
  kind: z.enum(['required', 'nice-to-have']),
  required: z.string(),
  attained: z.nullable(z.string()),
  evidence: z.nullable(z.enum(['verified', 'self-reported'])),
});

/**
 * A proposal as its reader may see it (shared/domain/proposals.ts viewFor): the organisation
 * gets `candidate` (a handle) instead of `learnerId` until acceptance, then `contact`.
 */
const proposalShape = () => ({
  proposalId,
  /** The round (run_…) or matching cycle (cyc_…, shared/schemas/match-cycles.ts) that made it. */
  runId: z.string().check(z.regex(/^(run|cyc)_[a-f0-9]{20}$/, 'a match run or cycle id')),
  prefecture: prefectureCode,
  openingId: z.string(),
  ownerOrg: z.string(),
  ownerKind: z.enum(['employer', 'municipality']),
  learnerId: z.optional(z.string()),
  candidate: z.optional(z.string()),
  residencePrefecture: prefectureCode,
  workplacePrefecture: prefectureCode,
  workStyle: z.string(),
  score: z.number(),
  explanation: z.strictObject({
    met: z.array(itemFit),
    missing: z.array(itemFit),
    readiness: z.number(),
    candidateRank: z.int(),
    openingRank: z.int(),
  }),
  status: z.enum(['unpublished', 'proposed', 'candidate-accepted', 'candidate-declined', 'accepted', 'organisation-declined', 'withdrawn']),
  decisions: z.array(z.strictObject({ by: z.enum(['candidate', 'organisation']), decision, at: isoTime })),
  createdAt: isoTime,
  publishedAt: z.optional(isoTime),
  acceptedOn: z.optional(isoDate),
  fiscalYear: z.optional(z.int()),
  withdrawnReason: z.optional(z.enum(['consent-withdrawn', 'account-erased', 'placed-elsewhere', 'no-longer-eligible', 'matched-elsewhere'])),
  provisional: z.optional(z.literal(true)),
  provisionalReason: z.optional(z.string()),
  endedOn: z.optional(isoDate),
  /** Personal data, for the organisation once both sides accepted (null: the learner gave none). */
  contact: z.optional(z.nullable(z.strictObject({ name: z.string(), email: z.optional(z.string()), phone: z.optional(z.string()) }))),
});
export const proposalView = z.lazy(() => z.strictObject(proposalShape()));
/** A proposal as stored (the learner's own export shows it so): with the handle organisations see, and its write version. */
export const storedProposal = z.lazy(() => z.strictObject({ ...proposalShape(), candidateHandle: z.optional(z.string()), version: z.int() }));

export const proposalPage = z.lazy(() => z.strictObject({ proposals: z.array(proposalView), cursor: z.optional(z.string()) }));

const completedPrefecture = z.strictObject({
  prefecture: prefectureCode,
  runId,
  matched: z.int(),
  unmatched: z.int(),
  seats: z.int(),
  stable: z.boolean(),
});
const failedPrefecture = z.strictObject({ prefecture: prefectureCode, failed: z.literal(true), error: z.string() });

/** A completed national round (shared/workflows/national-round.ts NationalRoundSummary). */
export const nationalRoundView = z.lazy(() =>
  z.strictObject({
    nationalRunId: z.string(),
    requestedBy: z.strictObject({ sub: z.string(), role: z.literal('admin') }),
    requestedAt: isoTime,
    dryRun: z.boolean(),
    includeSelfReported: z.boolean(),
    prefectures: z.array(prefectureCode),
    completedAt: isoTime,
    runs: z.array(z.union([completedPrefecture, failedPrefecture])),
    totals: z.strictObject({
      prefectures: z.int(),
      matched: z.int(),
      seats: z.int(),
      stable: z.boolean(),
      withdrawnDuplicates: z.optional(z.int()),
      failed: z.optional(z.int()),
    }),
  }),
);

/** A national round started in AWS: the state machine runs it; its Location answers once it completes. */
export const nationalRoundStarted = z.lazy(() => z.strictObject({ nationalRunId: z.string(), executionArn: z.string(), status: z.literal('running') }));

/** Ranked candidates for an opening (shared/domain/candidates.ts): a handle instead of the learner id for organisations. */
export const candidatePage = z.lazy(() =>
  z.strictObject({
    openingId: z.string(),
    catalogVersion: z.string(),
    provisional: z.optional(z.literal(true)),
    provisionalReason: z.optional(z.string()),
    pendingDerivation: z.optional(z.int()),
    pendingDerivationAsOf: z.optional(isoTime),
    shortlisted: z.optional(z.int()),
    shortlistReason: z.optional(z.string()),
    standingsAsOf: z.optional(isoTime),
    standingsAsOfReason: z.optional(z.string()),
    evidence: z.enum(['verified only', 'verified and self-reported']),
    candidates: z.array(
      z.strictObject({
        rank: z.int(),
        candidate: z.string(),
        score: z.number(),
        /** Required items met, of all required: "3/4". */
        requiredMet: z.string().check(z.regex(/^\d+\/\d+$/)),
        readiness: z.number(),
        met: z.array(itemFit),
        missing: z.array(itemFit),
        residencePrefecture: prefectureCode,
        turn: z.string(),
        workStyles: z.array(z.string()),
      }),
    ),
    cursor: z.optional(z.string()),
  }),
);
