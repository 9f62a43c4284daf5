import { importanceLevels, type Importance } from './terms';
import { splitCsv, type CsvError, type CsvRecord } from '../csv';

export type { CsvError };

/**
 * Reads a role x skill importance matrix from CSV, the form an operator gets by saving
 * IPA's spreadsheet from Excel. Pure: bytes and catalog structure in, matrix or errors out.
 */

/** 1-based position in the file as a spreadsheet shows it (a quoted cell with line breaks is one row). */

type Named = { readonly id: string; readonly ja: string; readonly aliases?: readonly string[] };
export type MatrixStructure = { readonly roles: readonly Named[]; readonly skills: readonly Named[] };

/** importance[roleId][skillId]; null = not rated ("-"). Keys follow the structure's order. */
export type ImportanceTable = Record<string, Record<string, Importance | null>>;

export type ParseImportanceResult = { ok: true; importance: ImportanceTable } | { ok: false; errors: CsvError[] };

export type DecodedCsv = { ok: true; text: string; encoding: 'utf-8' | 'shift_jis' } | { ok: false; message: string };

const maxErrors = 100;

export function parseImportanceCsv(bytes: Uint8Array, structure: MatrixStructure): ParseImportanceResult {
  const decoded = decodeCsvBytes(bytes);
  if (!decoded.ok) return { ok: false, errors: [{ row: 1, column: 1, message: decoded.message }] };
  const errors: CsvError[] = [];
  const records = splitCsv(decoded.text, errors).filter((r) => r.cells.some((cell) => cell.trim() !== ''));
  const importance = readMatrix(records, structure, errors);
  if (errors.length > 0 || !importance) return { ok: false, errors: capped(errors) };
  return { ok: true, importance };
}

/**
 * UTF-8 (BOM optional) first; bytes that are not valid UTF-8 are taken as Shift_JIS, which
 * WHATWG decoders treat as Windows-31J (CP932): what "CSV (comma delimited)" means in Japanese Excel.
 */
export function decodeCsvBytes(bytes: Uint8Array): DecodedCsv {
  const b0 = bytes[0];
  const b1 = bytes[1];
  if ((b0 === 0xff && b1 === 0xfe) || (b0 === 0xfe && b1 === 0xff)) {
    return { ok: false, message: 'the file is UTF-16 (Excel "Unicode Text"); save it as "CSV UTF-8" or "CSV" instead' };
  }
  try {
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    // not UTF-8: fall through to Shift_JIS
  }
  const sjis = shiftJisDecoder();
  if (!sjis) {
    return { ok: false, message: 'the file is not UTF-8 and this runtime cannot decode Shift_JIS; save it as "CSV UTF-8"' };
  }
  try {
    return { ok: true, text: sjis.decode(bytes), encoding: 'shift_jis' };
  } catch {
    return { ok: false, message: 'the file is neither UTF-8 nor Shift_JIS text; save it from Excel as "CSV UTF-8"' };
  }
}

/** Undefined where the runtime was built without ICU encodings. */
function shiftJisDecoder() {
  try {
    return new TextDecoder('shift_jis', { fatal: true });
  } catch {
    return undefined;
  }
}

type Kind = 'role' | 'skill';
const ambiguous = Symbol('ambiguous');
type Lookup = { kind: Kind; entries: readonly Named[]; byKey: Map<string, Named | typeof ambiguous> };

/** Spreadsheets vary in width, spacing and case: "ＵＸ／ＵＩ デザイナー" must match "UX/UIデザイナー". */
const labelKey = (label: string) => label.normalize('NFKC').toLowerCase().replace(/\s+/g, '');

function lookup(kind: Kind, entries: readonly Named[]): Lookup {
  const byKey = new Map<string, Named | typeof ambiguous>();
  for (const entry of entries) {
    // Other names in use (e.g. a role's short name, where the published name is longer) match too.
    for (const key of new Set([entry.id, entry.ja, ...(entry.aliases ?? [])].map(labelKey))) {
      const existing = byKey.get(key);
      byKey.set(key, existing === undefined || existing === entry ? entry : ambiguous);
    }
  }
  return { kind, entries, byKey };
}

type Position = Omit<CsvError, 'message'>;
/** Per 0-based column: its role or skill; null = bad header (already reported); undefined = no header. */
type Columns = (Named | null | undefined)[];
type Cells = Map<string, Importance | null>;
const cellKey = (roleId: string, skillId: string) => `${roleId}\u0000${skillId}`;

function readMatrix(records: CsvRecord[], structure: MatrixStructure, errors: CsvError[]): ImportanceTable | undefined {
  const [header, ...body] = records;
  if (!header) {
    const message = 'the file has no rows: expected a header row of skill ids or names, then one row per role';
    errors.push({ row: 1, column: 1, message });
    return undefined;
  }
  const layout = detectLayout(header, lookup('role', structure.roles), lookup('skill', structure.skills));
  if (!layout) {
    const message =
      'cannot tell the layout from the header row: it should list skill ids or Japanese names (one row per role below it) ' +
      'or role ids or names (one row per skill)';
    errors.push({ row: header.row, column: 2, message });
    return undefined;
  }
  const { columnKind, rowKind } = layout;
  const columns = readHeader(header, columnKind, rowKind, errors);
  const cells: Cells = new Map();
  const seenRows = readRows(body, header, columns, layout, cells, errors);

  const nextRow = (body.at(-1)?.row ?? header.row) + 1;
  for (const entry of rowKind.entries.filter((e) => !seenRows.has(e.id))) {
    errors.push({ row: nextRow, column: 1, message: `missing ${rowKind.kind} "${entry.id}" (${entry.ja}): add a row for it` });
  }
  const presentColumns = new Set(columns.filter((c): c is Named => !!c).map((c) => c.id));
  for (const entry of columnKind.entries.filter((e) => !presentColumns.has(e.id))) {
    const at = { row: header.row, column: header.cells.length + 1 };
    errors.push({ ...at, message: `missing ${columnKind.kind} "${entry.id}" (${entry.ja}): add a column for it` });
  }
  if (errors.length > 0) return undefined;
  const rowOf = (roleId: string) => structure.skills.map((s) => [s.id, cells.get(cellKey(roleId, s.id)) ?? null]);
  return Object.fromEntries(structure.roles.map((r) => [r.id, Object.fromEntries(rowOf(r.id))]));
}

type Layout = { columnKind: Lookup; rowKind: Lookup };

/** Whichever kind the header row names more of runs across; the top-left cell is free text. */
function detectLayout(header: CsvRecord, roles: Lookup, skills: Lookup): Layout | undefined {
  const count = (l: Lookup) => header.cells.slice(1).filter((label) => l.byKey.has(labelKey(label))).length;
  const skillColumns = count(skills);
  const roleColumns = count(roles);
  if (skillColumns === roleColumns) return undefined;
  return skillColumns > roleColumns ? { columnKind: skills, rowKind: roles } : { columnKind: roles, rowKind: skills };
}

/** Fills `cells` from the body rows; returns the row number each row entity was first seen on. */
function readRows(body: CsvRecord[], header: CsvRecord, columns: Columns, { columnKind, rowKind }: Layout, cells: Cells, errors: CsvError[]) {
  const seenRows = new Map<string, number>();
  const orphanColumnsReported = new Set<number>();
  for (const record of body) {
    const label = (record.cells[0] ?? '').trim();
    const entry = resolve(label, rowKind, columnKind, { row: record.row, column: 1 }, errors, 'row');
    if (!entry) continue;
    const firstRow = seenRows.get(entry.id);
    if (firstRow !== undefined) {
      const message = `duplicate row for ${rowKind.kind} "${entry.id}" (first given on row ${firstRow}): keep one of them`;
      errors.push({ row: record.row, column: 1, message });
      continue;
    }
    seenRows.set(entry.id, record.row);
    for (let c = 1; c < Math.max(record.cells.length, header.cells.length); c++) {
      const at = { row: record.row, column: c + 1 };
      const raw = record.cells[c] ?? '';
      const column = columns[c];
      if (column === undefined && raw.trim() !== '' && !orphanColumnsReported.has(c)) {
        orphanColumnsReported.add(c);
        const message = `column ${c + 1} has values but no header: put a ${columnKind.kind} id or name in row ${header.row}, or delete the column`;
        errors.push({ ...at, message });
      }
      if (!column) continue;
      const [role, skill] = rowKind.kind === 'role' ? [entry, column] : [column, entry];
      const value = readValue(raw, role.id, skill.id, at, errors);
      if (value !== undefined) cells.set(cellKey(role.id, skill.id), value);
    }
  }
  return seenRows;
}

function readHeader(header: CsvRecord, columnKind: Lookup, rowKind: Lookup, errors: CsvError[]): Columns {
  const columns: Columns = [undefined];
  const firstColumn = new Map<string, number>();
  header.cells.slice(1).forEach((cell, i) => {
    const column = i + 2;
    const label = cell.trim();
    if (label === '') {
      columns.push(undefined);
      return;
    }
    const entry = resolve(label, columnKind, rowKind, { row: header.row, column }, errors, 'column');
    const first = entry && firstColumn.get(entry.id);
    if (entry && first !== undefined) {
      const message = `duplicate column for ${columnKind.kind} "${entry.id}" (first in column ${first}): keep one of them`;
      errors.push({ row: header.row, column, message });
      columns.push(null);
      return;
    }
    if (entry) firstColumn.set(entry.id, column);
    columns.push(entry ?? null);
  });
  return columns;
}

/** `want` is the kind expected at `at`; `other` only serves a better message when the two are swapped. */
function resolve(label: string, want: Lookup, other: Lookup, at: Position, errors: CsvError[], place: 'row' | 'column'): Named | undefined {
  const found = want.byKey.get(labelKey(label));
  if (found === ambiguous) {
    errors.push({ ...at, message: `"${label}" matches more than one ${want.kind} by name: use the ${want.kind} id instead` });
    return undefined;
  }
  if (found) return found;
  if (label === '') {
    errors.push({ ...at, message: `this row has values but no ${want.kind} in column 1: add the ${want.kind} id or name` });
  } else if (other.byKey.has(labelKey(label))) {
    const fix =
      place === 'row'
        ? `the header row lists ${other.kind}s, so the first column must list ${want.kind}s`
        : `the header row lists ${want.kind}s, so put ${other.kind}s in the first column`;
    errors.push({ ...at, message: `"${label}" is a ${other.kind}, not a ${want.kind}: ${fix}` });
  } else {
    const example = want.entries[0];
    const hint = example ? ` (e.g. "${example.id}" or "${example.ja}")` : '';
    errors.push({ ...at, message: `unknown ${want.kind} "${label}": use a ${want.kind} id or Japanese name from the catalog${hint}` });
  }
  return undefined;
}

const expected = `expected ${importanceLevels.join(', ')} or - (not rated)`;

function readValue(raw: string, roleId: string, skillId: string, at: Position, errors: CsvError[]): Importance | null | undefined {
  // NFKC so that full-width "ａ" or "－" typed with a Japanese IME still counts.
  const value = raw.normalize('NFKC').trim().toLowerCase();
  if (value === '-') return null;
  const level = importanceLevels.find((l) => l === value);
  if (level) return level;
  const what = value === '' ? 'empty cell' : `invalid value "${raw.trim()}"`;
  errors.push({ ...at, message: `${what} for role "${roleId}" × skill "${skillId}": ${expected}` });
  return undefined;
}

function capped(errors: CsvError[]): CsvError[] {
  if (errors.length <= maxErrors) return errors;
  const shown = errors.slice(0, maxErrors - 1);
  const next = errors[maxErrors - 1]!;
  const message = `${errors.length - shown.length} more errors not shown: fix the ones above and import again`;
  shown.push({ row: next.row, column: next.column, message });
  return shown;
}
