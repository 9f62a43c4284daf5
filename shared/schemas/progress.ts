import * as z from 'zod/mini';
import { prefectureCode } from '../ids';
import { pageQuery } from './common';
import { slugId } from './fields';

/**
 * `format=csv` is the CSV table as `Accept: text/csv` gives it, for a plain link (a page's
 * "CSV" link cannot set Accept).
 */
export const answerFormat = z.enum(['json', 'csv'], { error: 'format is json or csv' });

export const progressQuery = z.strictObject({
  fiscalYear: z.optional(
    z
      .pipe(z.string().check(z.regex(/^20\d\d$/, 'a fiscal year like 2025 (April 2025 to March 2026)')), z.transform(Number))
      .check(z.refine((fy) => fy >= 2022, 'the target window starts in FY2022')),
  ),
  prefecture: z.optional(prefectureCode),
  type: z.optional(slugId),
  role: z.optional(slugId),
  rule: z.optional(z.string().check(z.regex(/^[0-9A-Za-z][0-9A-Za-z.-]{0,31}$/, 'a counting rule version like 2026.1'))),
  format: z.optional(answerFormat),
  /** The CSV's column and dimension names: ja for a prefecture's officer (codes and figures are the same). */
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
