import { forEachConcurrently } from '../concurrency';
import { decodeSpreadsheetText, splitCsv, type CsvError } from '../csv';
import { getCourses, type Course } from '../data/courses';
import { getLearnerProfiles } from '../data/learners';
import { learnersLinkedTo } from '../data/provider-links';
import { invalid } from '../errors';
import type { Actor } from '../identity';
import type * as z from 'zod/mini';
import '../zod-messages';
import { courseId as courseIdSchema, httpsUrl, isoDate, learnerId as learnerIdSchema, text } from '../schemas/fields';
import { checkCompletion, storeCompletion, type CompletionInput } from './completions';

/**
 * Bulk completions from a provider's CSV (UTF-8 with or without BOM, or Shift_JIS as
 * Japanese Excel saves "CSV"; English or Japanese column names). Every row is
 * checked like a single report; valid rows are stored, each rejected row is listed with
 * its spreadsheet row number (the header is row 1). Storing is idempotent per (learner,
 * course, date), so uploading the same file again changes nothing.
 */
export const MAX_IMPORT_ROWS = 10_000;
/** Rows checked and stored at once by one request or one import worker. */
const ROWS_IN_FLIGHT = 16;
export const IMPORT_COLUMNS = {
  required: ['learner_id', 'course_id', 'completed_on'],
  optional: ['certificate_number', 'evidence_url'],
} as const;

export interface ImportResult {
  rows: number;
  stored: number;
  verified: number;
  unchanged: number;
  rejected: { row: number; reason: string }[];
}

function decode(bytes: Uint8Array, charset: string | undefined): string {
  const decoded = decodeSpreadsheetText(bytes, charset);
  if (!decoded.ok) throw invalid(decoded.message);
  return decoded.text;
}

/**
 * Japanese column names, as a provider's own spreadsheet heads them. Compared after NFKC
 * (so 学習者ＩＤ is 学習者ID); the English names stay exact ASCII.
 */
export const JAPANESE_COLUMNS: Readonly<Record<string, (typeof IMPORT_COLUMNS)[keyof typeof IMPORT_COLUMNS][number]>> = {
  学習者ID: 'learner_id',
  講座ID: 'course_id',
  修了日: 'completed_on',
  証明書番号: 'certificate_number',
  証跡URL: 'evidence_url',
};
const japaneseColumn = new Map(Object.entries(JAPANESE_COLUMNS).map(([ja, name]) => [ja.normalize('NFKC').toLowerCase(), name]));
const columnName = (cell: string) => {
  const name = cell.trim().toLowerCase();
  return japaneseColumn.get(name.normalize('NFKC')) ?? name;
};

/** Excel shows and re-saves a date as 2025/6/1 (or 2025/06/01 when so formatted): the same day as 2025-06-01. */
function isoDateOf(cell: string): string {
  const slashed = /^(\d{4})\/(\d{1,2})\/(\d{1,2})$/.exec(cell);
  return slashed ? `${slashed[1]}-${slashed[2]!.padStart(2, '0')}-${slashed[3]!.padStart(2, '0')}` : cell;
}

/** The first field of a row that breaks its schema, as "column: reason". */
function rowProblem(checks: readonly (readonly [string, string, z.ZodMiniType])[]): string | undefined {
  for (const [name, value, schema] of checks) {
    const result = schema.safeParse(value);
    if (!result.success) return `${name}: ${result.error.issues[0]!.message}`;
  }
  return undefined;
}

/** A row that passed the file-level checks (cells, formats, no repeat in the file), to check and store. */
export interface ImportRow {
  row: number;
  input: CompletionInput;
}

/** What a file holds: its data rows, those refused already by the file-level checks, and the rest. */
export interface ParsedImport {
  rows: number;
  rejected: ImportResult['rejected'];
  candidates: ImportRow[];
}

/**
 * The checks that need only the file: encoding, header, row count, each row's cells and
 * formats, and repeats of the same (learner, course, date). Cheap: a whole file is
 * parsed within the request even when its rows are stored later by the import workers.
 */
export function parseCompletionCsv(bytes: Uint8Array, charset?: string): ParsedImport {
  const errors: CsvError[] = [];
  const records = splitCsv(decode(bytes, charset), errors).filter((r) => r.cells.some((c) => c.trim() !== ''));
  if (errors.length) throw invalid(`The CSV is malformed at row ${errors[0]!.row}, column ${errors[0]!.column}: ${errors[0]!.message}`);
  const [header, ...rows] = records;
  if (!header) throw invalid(`The file is empty: the first row names the columns ${IMPORT_COLUMNS.required.join(', ')}.`);
  const names = header.cells.map(columnName);
  const known: readonly string[] = [...IMPORT_COLUMNS.required, ...IMPORT_COLUMNS.optional];
  const unknown = names.filter((n) => !known.includes(n));
  const missing = IMPORT_COLUMNS.required.filter((n) => !names.includes(n));
  if (unknown.length || missing.length || new Set(names).size !== names.length) {
    throw invalid(
      `The header row must name the columns ${IMPORT_COLUMNS.required.join(', ')} (and optionally ${IMPORT_COLUMNS.optional.join(', ')}), or their Japanese names ${Object.keys(JAPANESE_COLUMNS).join(', ')}, each once${unknown.length ? `; unknown: ${unknown.join(', ')}` : ''}${missing.length ? `; missing: ${missing.join(', ')}` : ''}.`,
    );
  }
  if (rows.length > MAX_IMPORT_ROWS) throw invalid(`The file has ${rows.length} rows; upload at most ${MAX_IMPORT_ROWS} per file.`);

  const column = (cells: string[], name: string) => (cells[names.indexOf(name)] ?? '').trim();
  const rejected: ImportResult['rejected'] = [];
  const candidates: ImportRow[] = [];
  const firstRowOf = new Map<string, number>();
  for (const record of rows) {
    const { cells, row } = record;
    if (cells.length !== names.length) {
      rejected.push({ row, reason: `has ${cells.length} cells; the header has ${names.length}` });
      continue;
    }
    const input: CompletionInput = {
      learnerId: column(cells, 'learner_id'),
      courseId: column(cells, 'course_id'),
      completedOn: isoDateOf(column(cells, 'completed_on')),
    };
    const certificateNumber = column(cells, 'certificate_number');
    const url = column(cells, 'evidence_url');
    if (certificateNumber || url) input.evidence = { ...(certificateNumber ? { certificateNumber } : {}), ...(url ? { url } : {}) };
    const problem = rowProblem([
      ['learner_id', input.learnerId!, learnerIdSchema],
      ['course_id', input.courseId, courseIdSchema],
      ['completed_on', input.completedOn, isoDate],
      ...(url ? [['evidence_url', url, httpsUrl] as const] : []),
      ...(certificateNumber ? [['certificate_number', certificateNumber, text(64)] as const] : []),
    ]);
    if (problem) {
      rejected.push({ row, reason: problem });
      continue;
    }
    const naturalKey = `${input.learnerId}|${input.courseId}|${input.completedOn}`;
    const first = firstRowOf.get(naturalKey);
    if (first !== undefined) {
      rejected.push({ row, reason: `duplicate of row ${first} (same learner, course and date)` });
      continue;
    }
    firstRowOf.set(naturalKey, row);
    candidates.push({ row, input });
  }
  return { rows: rows.length, rejected, candidates };
}

/**
 * Checks and stores rows as one report each (checkCompletion, storeCompletion): the same
 * code for a small file within the request and for each chunk a worker takes from the
 * queue. `rejected` comes back sorted by row.
 */
export async function storeImportRows(actor: Actor, candidates: readonly ImportRow[], now: Date): Promise<Omit<ImportResult, 'rows'>> {
  // Look everything up once for all the rows rather than once per row.
  const courses = await getCourses(candidates.map((c) => c.input.courseId));
  const learnerIds = candidates.map((c) => c.input.learnerId!);
  const [profiles, linked] = await Promise.all([getLearnerProfiles(learnerIds), actor.org ? learnersLinkedTo(actor.org, learnerIds) : new Set<string>()]);
  const residences = new Map(profiles.map((p) => [p.learnerId, p.residence.prefecture]));
  const lookups = {
    course: async (id: string): Promise<Course | undefined> => courses.get(id),
    learnerPrefecture: async (id: string) => residences.get(id),
    // Links to the uploading provider only: a row of another provider's course is refused before this is asked.
    linked: async (learnerId: string, providerId: string) => providerId === actor.org && linked.has(learnerId),
  };

  const result: Omit<ImportResult, 'rows'> = { stored: 0, verified: 0, unchanged: 0, rejected: [] };
  await forEachConcurrently(candidates, ROWS_IN_FLIGHT, async ({ row, input }) => {
    const checked = await checkCompletion(actor, input, now, lookups);
    if (!checked.ok) {
      result.rejected.push({ row, reason: checked.reason });
      return;
    }
    const { outcome } = await storeCompletion(actor, checked.completion);
    if (outcome === 'created') result.stored++;
    else if (outcome === 'verified') result.verified++;
    else result.unchanged++;
  });
  result.rejected.sort((a, b) => a.row - b.row);
  return result;
}

/** Checks and stores a whole file within the request (files up to the queueing threshold). */
export async function importCompletions(actor: Actor, bytes: Uint8Array, now: Date, charset?: string): Promise<ImportResult> {
  return importParsed(actor, parseCompletionCsv(bytes, charset), now);
}

export async function importParsed(actor: Actor, parsed: ParsedImport, now: Date): Promise<ImportResult> {
  const stored = await storeImportRows(actor, parsed.candidates, now);
  const rejected = [...parsed.rejected, ...stored.rejected].sort((a, b) => a.row - b.row);
  return { rows: parsed.rows, stored: stored.stored, verified: stored.verified, unchanged: stored.unchanged, rejected };
}
