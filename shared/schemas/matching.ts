import * as z from 'zod/mini';
import { prefectureCode } from '../ids';
import { isValidIsoDate } from '../time/japan-time';
import { isoDate } from './fields';
import { pageQuery } from './common';
import { answerFormat } from './progress';

// Bodies and views are z.lazy, built on first use: a function builds only the schemas its
// own route parses, and views only the OpenAPI document (docs/benchmarks.md, cold start).

export const candidatesQuery = z.strictObject({
  /** Centers may count self-reported evidence too; organisations never. */
  includeSelfReported: z.optional(z.enum(['true', 'false'])),
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
  fiscalYear: z.optional(
    z
      .pipe(z.string().check(z.regex(/^20\d\d$/, 'a fiscal year like 2025')), z.transform(Number))
      .check(z.refine((fy) => fy >= 2022, 'the target window starts in FY2022')),
  ),
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
