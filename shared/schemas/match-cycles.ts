import * as z from 'zod/mini';
import { prefectureCode } from '../ids';
import { openingId } from './openings';
import { attainment, uniqueList } from './fields';
import { pageQuery } from './common';

// Bodies and views are z.lazy, built on first use: a function builds only the schemas its
// own route parses, and views only the OpenAPI document (docs/benchmarks.md, cold start).

export const cycleId = z.string().check(z.regex(/^cyc_[a-f0-9]{20}$/, 'a cycle id looks like cyc_ followed by 20 hex digits'));
export const cycleParams = z.strictObject({ cycleId });
export const cycleOpeningParams = z.strictObject({ cycleId, openingId });

const dateTime = z.string().check(
  z.regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/, 'an ISO 8601 date-time with a time zone, like 2026-04-01T09:00:00+09:00'),
  z.refine((s) => !Number.isNaN(Date.parse(s)), 'the date-time does not exist on the calendar'),
);

const handle = z.string().check(z.regex(/^cand_[a-f0-9]{16}$/, 'a candidate handle looks like cand_ followed by 16 hex digits'));

export const createCycleBody = z.lazy(() =>
  z.strictObject({
    /** The prefecture of a center's cycle (default: the center's own); omitted by admin: a national cycle. */
    prefecture: z.optional(prefectureCode),
    /** The openings taking part (default: every open opening of the scope whose deadline has not passed). */
    openings: z.optional(uniqueList(openingId, 2000, 'openings').check(z.minLength(1))),
    /** When rank lists may be submitted: from (inclusive) to (exclusive); the cycle runs after it closes. */
    window: z.strictObject({ from: dateTime, to: dateTime }),
    /** National cycles only: caps on the seats filled in groups of prefectures (e.g. the Tokyo area 11–14). */
    regions: z.optional(
      uniqueList(
        z.strictObject({
          id: z.string().check(z.regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'a region id is a lower-case slug like tokyo-area'), z.maxLength(64)),
          prefectures: uniqueList(prefectureCode, 47, 'prefectures').check(z.minLength(1)),
          cap: z.int().check(z.gte(0), z.lte(1_000_000)),
        }),
        47,
        'regions',
      ),
    ),
  }),
);

/** An empty list withdraws the candidate's list (and their participation in the cycle). */
export const candidateListBody = z.lazy(() => z.strictObject({ openings: uniqueList(openingId, 100, 'openings') }));
export const openingListBody = z.lazy(() => z.strictObject({ candidates: uniqueList(handle, 1000, 'candidates') }));

const itemFit = z.strictObject({
  skill: z.string(),
  kind: z.enum(['required', 'nice-to-have']),
  required: z.string(),
  attained: z.nullable(attainment),
  evidence: z.nullable(z.enum(['verified', 'self-reported'])),
});
const listUsed = z.enum(['your own list', 'its own list', 'fit order: no list submitted']);
const candidateReason = z.enum(['matched', 'matched-higher-choice', 'filled-by-higher-ranked', 'regional-cap', 'not-on-opening-list']);
const rankerOutcome = z.enum(['matched-here', 'matched-higher-choice', 'filled-by-higher-ranked', 'regional-cap', 'not-on-opening-list']);
const counts = z.strictObject({ openings: z.int(), seats: z.int(), candidates: z.int(), matched: z.int(), unmatched: z.int() });

export const cycleView = z.lazy(() =>
  z.strictObject({
    cycleId: z.string(),
    scope: z.enum(['prefecture', 'national']),
    prefecture: z.optional(z.string()),
    window: z.strictObject({ from: z.string(), to: z.string() }),
    /** scheduled (window not open yet), ranking (lists accepted), closed (awaiting its run), running, matched. */
    status: z.enum(['scheduled', 'ranking', 'closed', 'running', 'matched']),
    openings: z.int(),
    regions: z.optional(z.array(z.strictObject({ id: z.string(), prefectures: z.array(z.string()), cap: z.int() }))),
    createdAt: z.string(),
    result: z.optional(z.strictObject({ runAt: z.string(), counts, stable: z.boolean(), inputDigest: z.string() })),
    /** Why the last run gave up; the cycle may be run again. */
    lastFailure: z.optional(z.string()),
    /** A learner's own list and outcome. */
    you: z.optional(
      z.strictObject({
        list: z.nullable(z.array(z.string())),
        listUsed,
        outcome: z.optional(
          z.strictObject({
            matched: z.nullable(z.strictObject({ openingId: z.string(), proposalId: z.string() })),
            openings: z.array(
              z.strictObject({ openingId: z.string(), position: z.int(), reason: candidateReason, explanation: z.string(), openingListUsed: listUsed }),
            ),
          }),
        ),
      }),
    ),
    /** An organisation's openings in the cycle; a center's in its prefecture; admin's of a prefectural cycle (of a national one, only the totals above). */
    openingOutcomes: z.optional(
      z.array(
        z.strictObject({
          openingId: z.string(),
          listUsed,
          seats: z.int(),
          /** Handles for an organisation, learner ids for a center or admin. */
          filled: z.array(z.string()),
          unfilled: z.int(),
          /** `position` (where the candidate put the opening on their list): for a center or admin only. */
          rankedBy: z.array(z.strictObject({ candidate: z.string(), position: z.optional(z.int()), outcome: rankerOutcome, explanation: z.string() })),
        }),
      ),
    ),
  }),
);

export const cycleOpeningsView = z.lazy(() =>
  z.strictObject({
    cycleId: z.string(),
    view: z.enum(['candidate', 'organisation', 'center']),
    window: z.strictObject({ from: z.string(), to: z.string() }),
    /** The caller's own list (a candidate's openings), if submitted. */
    yourList: z.optional(z.nullable(z.array(z.string()))),
    openings: z.array(
      z.strictObject({
        openingId: z.string(),
        title: z.string(),
        organisation: z.string(),
        prefecture: z.string(),
        workStyle: z.string(),
        seats: z.int(),
        /** Candidate view: how well the caller fits, explained. */
        fit: z.optional(
          z.strictObject({ score: z.number(), requiredMet: z.string(), readiness: z.number(), met: z.array(itemFit), missing: z.array(itemFit) }),
        ),
        /** Organisation view: the candidates who listed the opening, by handle. */
        interested: z.optional(
          z.array(
            z.strictObject({
              candidate: z.string(),
              score: z.number(),
              requiredMet: z.string(),
              readiness: z.number(),
              met: z.array(itemFit),
              missing: z.array(itemFit),
            }),
          ),
        ),
        /** Organisation view: the submitted list, by handle (null: none, fit order will be used). */
        list: z.optional(z.nullable(z.array(z.string()))),
        /** Center view: how many listed it, and whether its organisation submitted a list. */
        interestedCount: z.optional(z.int()),
        listSubmitted: z.optional(z.boolean()),
      }),
    ),
  }),
);

export const candidateListView = z.lazy(() =>
  z.strictObject({
    cycleId: z.string(),
    openings: z.array(z.string()),
    submittedAt: z.string(),
    /** 'fit order: no list submitted' once the list is withdrawn (an empty list). */
    listUsed: z.enum(['your own list', 'fit order: no list submitted']),
  }),
);
export const openingListView = z.lazy(() =>
  z.strictObject({
    cycleId: z.string(),
    openingId: z.string(),
    candidates: z.array(z.string()),
    submittedAt: z.string(),
    listUsed: z.literal('your own list'),
  }),
);

const cycleState = z.enum(['scheduled', 'ranking', 'closed', 'running', 'matched']);

/** GET /v1/match-cycles: filters (a learner sees only cycles open, or about to open, for ranking). */
export const cycleListQuery = z.strictObject({
  /** That prefecture's own cycles (not national ones). */
  prefecture: z.optional(prefectureCode),
  state: z.optional(cycleState),
  ...pageQuery,
});

export const cycleList = z.lazy(() =>
  z.strictObject({
    cycles: z.array(
      z.strictObject({
        cycleId: z.string(),
        scope: z.enum(['prefecture', 'national']),
        prefecture: z.optional(z.string()),
        window: z.strictObject({ from: z.string(), to: z.string() }),
        status: cycleState,
        openings: z.int(),
        createdAt: z.string(),
        /** Once run: the anonymous counts. */
        result: z.optional(z.strictObject({ runAt: z.string(), counts, stable: z.boolean() })),
      }),
    ),
    cursor: z.optional(z.string()),
  }),
);
