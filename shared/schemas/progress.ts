import * as z from 'zod/mini';
import { prefectureCode } from '../ids';
import { pageQuery } from './common';
import { slugId } from './fields';
import { queryInteger } from './query';

/**
 * `format=csv` is the CSV table as `Accept: text/csv` gives it, for a plain link (a page's
 * "CSV" link cannot set Accept).
 */
export const answerFormat = z
  .enum(['json', 'csv'], { error: 'format is json or csv' })
  .check(
    z.describe('The representation, whatever Accept prefers (for a plain link, which cannot set Accept); an Accept that allows none of them is still 406.'),
  );

export const progressQuery = z.strictObject({
  fiscalYear: z.optional(
    queryInteger(/^20\d\d$/, 'a fiscal year like 2025 (April 2025 to March 2026)', { min: 2022, max: 2099, message: 'the target window starts in FY2022' }),
  ),
  prefecture: z.optional(prefectureCode),
  type: z.optional(slugId),
  role: z.optional(slugId),
  rule: z.optional(z.string().check(z.regex(/^[0-9A-Za-z][0-9A-Za-z.-]{0,31}$/, 'a counting rule version like 2026.1'))),
  /** xlsx: the workbook `Accept: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet` gives. */
  format: z.optional(
    z
      .enum(['json', 'csv', 'xlsx'], { error: 'format is json, csv or xlsx' })
      .check(
        z.describe(
          'The representation, whatever Accept prefers (for a plain link, which cannot set Accept): json, csv (text/csv) or xlsx (the workbook); an Accept that allows none of the three is still 406.',
        ),
      ),
  ),
  /**
   * The file's column, dimension and sheet names (CSV and XLSX): ja for a prefecture's
   * officer; codes and figures are the same. Without it, Accept-Language chooses; English otherwise.
   */
  lang: z.optional(z.enum(['en', 'ja'], { error: 'lang is en or ja' })),
});

export const revisionsQuery = z.strictObject({
  rule: progressQuery.shape.rule,
  ...pageQuery,
});

const dayInYear = z.object({ qualifiedOn: z.string(), fiscalYear: z.number() });

export const revisionList = z.lazy(() =>
  z.object({
    ruleVersion: z.string(),
    revisions: z.array(
      z.object({
        revisedAt: z.string(),
        from: dayInYear,
        to: dayInYear,
        reason: z.literal('earlier-evidence'),
        ruleVersion: z.string(),
        prefecture: z.string(),
      }),
    ),
    cursor: z.optional(z.string()),
  }),
);

/** The series behind the progress page's line chart: by month only (the day cells are national). */
export const seriesQuery = z.strictObject({
  by: z.enum(['month'], { error: 'by=month (the only series so far)' }),
  rule: progressQuery.shape.rule,
  format: z.optional(answerFormat),
});

// Views (issue 13): what the progress routes answer in JSON. A null count is one withheld
// from a public answer (shared/progress/disclosure.ts); `suppressed` says so in words.
const count = z.nullable(z.int());
const isoDay = z.iso.date();
const named = { ja: z.optional(z.string()), en: z.optional(z.string()) };

export const progressReportView = z.lazy(() =>
  z.strictObject({
    rule: z.string(),
    provisional: z.boolean(),
    provisionalReason: z.optional(z.string()),
    filters: z.strictObject({
      ruleVersion: z.string(),
      fiscalYear: z.optional(z.int()),
      prefecture: z.optional(prefectureCode),
      type: z.optional(z.string()),
      role: z.optional(z.string()),
    }),
    today: isoDay,
    qualified: count,
    qualifiedByFiscalYear: z.array(z.strictObject({ fiscalYear: z.int(), qualified: count })),
    completions: z.strictObject({
      verified: count,
      selfReported: count,
      byFiscalYear: z.array(z.strictObject({ fiscalYear: z.int(), verified: count, selfReported: count })),
    }),
    /** National, all years only: the 2,300,000 target and the pace toward it. */
    pace: z.nullable(
      z.strictObject({
        target: z.int(),
        targetWindow: z.strictObject({ from: isoDay, to: isoDay }),
        towardTarget: z.int(),
        remaining: z.int(),
        daysLeft: z.int(),
        neededPerDay: z.nullable(z.int()),
        trailing30PerDay: z.number(),
        trailing90PerDay: z.number(),
        projectedDate: z.nullable(isoDay),
      }),
    ),
    breakdowns: z.strictObject({
      prefectures: z.array(z.strictObject({ code: z.string(), ja: z.string(), en: z.string(), qualified: count, completionsVerified: count })),
      types: z.array(z.strictObject({ id: z.string(), ...named, qualified: count })),
      roles: z.array(z.strictObject({ id: z.string(), ...named, qualified: count })),
    }),
    suppressed: z.nullable(z.string()),
  }),
);

export const monthlySeriesView = z.lazy(() =>
  z.strictObject({
    rule: z.string(),
    provisional: z.boolean(),
    provisionalReason: z.optional(z.string()),
    by: z.literal('month'),
    today: isoDay,
    currentFiscalYear: z.int(),
    target: z.int(),
    targetWindow: z.strictObject({ from: isoDay, to: isoDay }),
    months: z.array(z.strictObject({ month: z.string().check(z.regex(/^\d{4}-\d{2}$/)), qualified: count, cumulative: count })),
    suppressed: z.nullable(z.string()),
  }),
);

export const placementsReportView = z.lazy(() =>
  z.strictObject({
    filters: z.strictObject({ fiscalYear: z.optional(z.int()), prefecture: z.optional(prefectureCode) }),
    placements: count,
    byFiscalYear: z.array(z.strictObject({ fiscalYear: z.int(), placements: count })),
    byWorkStyle: z.array(z.strictObject({ workStyle: z.enum(['full-time', 'side-job', 'dispatch', 'remote']), placements: count })),
    byPrefecture: z.array(z.strictObject({ code: prefectureCode, ja: z.string(), en: z.string(), placements: count })),
    /** Placements from a residence prefecture to a workplace prefecture. */
    flows: z.array(z.strictObject({ from: z.string(), to: z.string(), placements: count })),
    fromTokyoAreaToRegions: count,
    suppressed: z.nullable(z.string()),
  }),
);
