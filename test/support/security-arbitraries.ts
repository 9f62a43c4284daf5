import fc from 'fast-check';
import { localGovernmentCheckDigit } from '../../shared/ids';

/**
 * fast-check building blocks for hostile input: values that break a field's schema in
 * every way people and attackers do (wrong types, huge strings and arrays, deep nesting,
 * control and combining characters, full-width digits, invalid codes and dates, unknown
 * fields, malformed JSON and CSV), and a JSON writer that can emit what JSON.stringify
 * cannot (1e400, duplicate keys, depth 1000).
 */

// ---------------------------------------------------------------------------------------
// Raw JSON

/** A piece of JSON text inserted verbatim by toJson. */
export class RawJson {
  constructor(readonly text: string) {}
}

export function toJson(value: unknown): string {
  if (value instanceof RawJson) return value.text;
  if (Array.isArray(value)) return `[${value.map(toJson).join(',')}]`;
  if (value && typeof value === 'object') {
    // Object.keys keeps an own "__proto__" key (as JSON.parse creates it).
    return `{${Object.keys(value)
      .map((key) => `${JSON.stringify(key)}:${toJson((value as Record<string, unknown>)[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export const deepArray = (depth: number) => new RawJson(`${'['.repeat(depth)}${']'.repeat(depth)}`);
export const deepObject = (depth: number) => new RawJson(`${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`);

/** An object with an own "__proto__" key, as JSON.parse makes it. */
export const protoObject = () => JSON.parse('{"__proto__":{"isAdmin":true}}') as object;

// ---------------------------------------------------------------------------------------
// Characters

export const fullWidth = (text: string) => text.replace(/[0-9A-Za-z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));

/** Control characters the API's free text refuses (\t \n \r are allowed in text). */
export const refusedControls = ['\u0000', '\u0001', '\u0007', '\u0008', '\u000b', '\u000c', '\u000e', '\u001b', '\u001f', '\u007f'];
export const combining = ['\u0301', '\u0308', '\u0332', '\u20dd', '\u3099'];

const insertAt = (text: string, char: string, position: number) => {
  const at = text.length === 0 ? 0 : position % (text.length + 1);
  return `${text.slice(0, at)}${char}${text.slice(at)}`;
};

export const withControl = (valid: string) => fc.tuple(fc.constantFrom(...refusedControls), fc.nat()).map(([c, at]) => insertAt(valid, c, at));
export const withCombining = (valid: string) => fc.tuple(fc.constantFrom(...combining), fc.nat()).map(([c, at]) => insertAt(valid, c, at));

export const HUGE = 100_000;
export const hugeString = fc.constantFrom('x', 'あ', '0', '\u0301').map((c) => c.repeat(HUGE));

// ---------------------------------------------------------------------------------------
// Wrong JSON types

export type JsonType = 'string' | 'number' | 'boolean' | 'array' | 'object' | 'null';

const typeOf = (value: unknown): JsonType =>
  value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value === 'object' ? 'object' : (typeof value as JsonType);

/** Objects with keys that trip naive code: prototype pollution and non-callable toString/valueOf. */
export const trickyObjects = (): object[] => [protoObject(), { constructor: { prototype: { isAdmin: true } } }, { toString: 1 }, { valueOf: 1, toString: 'x' }];

const wrongTypePool = (): unknown[] => [
  null,
  true,
  false,
  0,
  -1,
  1.5,
  31,
  1e21,
  '',
  'x',
  '31',
  'true',
  [],
  ['x'],
  [[]],
  [null],
  {},
  { a: 1 },
  ...trickyObjects(),
  [{ toString: 1 }],
];

/** A value of any JSON type but `expected` (and never null where `nullAllowed`). */
export const wrongType = (expected: JsonType, nullAllowed = false) =>
  fc.constantFrom(...wrongTypePool().filter((v) => typeOf(v) !== expected && !(nullAllowed && v === null)));

/** True when String(value) throws: an object with an own, non-callable toString (also inside arrays). */
export function breaksStringConversion(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(breaksStringConversion);
  return !!value && typeof value === 'object' && Object.hasOwn(value, 'toString');
}

// ---------------------------------------------------------------------------------------
// Invalid values by kind of field

export type FieldKind =
  | { kind: 'text'; max: number; min?: number }
  | { kind: 'string' } // any string (only wrong types break it)
  | { kind: 'nonEmpty' } // any string but the empty one
  | { kind: 'slug' }
  | { kind: 'enum'; values: readonly string[]; nullable?: boolean }
  | { kind: 'prefecture' }
  | { kind: 'municipality' }
  | { kind: 'lgcode' }
  | { kind: 'corporate' }
  | { kind: 'date'; alsoInvalid?: readonly string[] }
  | { kind: 'int'; min: number; max: number }
  | { kind: 'number'; min: number; max: number }
  | { kind: 'bool' }
  | { kind: 'url' }
  | { kind: 'email' }
  | { kind: 'phone' }
  | { kind: 'learnerId' }
  | { kind: 'courseId' }
  | { kind: 'catalogVersion' }
  | { kind: 'list'; max?: number; min?: number }
  | { kind: 'object'; knownKeys?: readonly string[] }
  | { kind: 'record' };

const withCheckDigit = (five: string) => `${five}${localGovernmentCheckDigit(five)}`;
const wrongCheckDigit = (five: string) => `${five}${(localGovernmentCheckDigit(five) + 1) % 10}`;

const stringVariants = (valid: string) =>
  fc.oneof(
    withControl(valid),
    withCombining(valid),
    fc.constant(fullWidth(valid)),
    fc.constant(`${valid} `),
    fc.constant(` ${valid}`),
    fc.constant(`${valid}\u200b`),
  );

export const invalidDates = [
  '2025-02-30',
  '2025-02-29',
  '2024-02-30',
  '2025-13-01',
  '2025-00-10',
  '2025-04-31',
  '2025-06-00',
  '2025-06-32',
  '20250601',
  '2025/06/01',
  '2025-6-1',
  '２０２５-０６-０１',
  '2025-06-01T00:00:00Z',
  '+02025-06-01',
  '9999-99-99',
  '0000-00-00',
  '',
  '2025-06-01\u0301',
  '2025\u221206\u221201',
  '令和7年6月1日',
];

/** Values that no field of this kind accepts. */
export function invalidValue(field: FieldKind): fc.Arbitrary<unknown> {
  switch (field.kind) {
    case 'text': {
      const min = field.min ?? 1;
      return fc.oneof(
        wrongType('string'),
        fc.constant('x'.repeat(field.max + 1)),
        hugeString,
        withControl('有効な文字列'),
        ...(min > 0 ? [fc.constant(''), fc.constant('   '), fc.constant('\n\t ')] : []),
      );
    }
    case 'string':
      return wrongType('string');
    case 'nonEmpty':
      return fc.oneof(wrongType('string'), fc.constant(''));
    case 'slug':
      return fc.oneof(
        wrongType('string'),
        fc.constantFrom(
          '',
          'Data-Engineer',
          'data_engineer',
          '-data',
          'data-',
          'data--engineer',
          'data engineer',
          'データ',
          'ﾃﾞｰﾀ',
          'déta',
          'data/engineer',
          '../etc',
          'x'.repeat(65),
        ),
        stringVariants('data-engineer'),
        hugeString,
      );
    case 'enum':
      return fc.oneof(
        wrongType('string', field.nullable),
        fc.constantFrom(
          ...field.values.flatMap((v) => [v.toUpperCase(), fullWidth(v), `${v} `, `${v}\u0301`, `${v}\u0000`]).filter((v) => !field.values.includes(v)),
          'unknown',
          '',
          '*',
        ),
        hugeString,
      );
    case 'prefecture':
      return fc.oneof(
        wrongType('string'),
        fc.constantFrom('00', '48', '99', '1', '013', '3', '-1', '31.0', '0x1F', 'Tottori', '鳥取県', '３１', '3１', '31 ', ' 31', '31\u0301', '31\u0000', ''),
        hugeString,
      );
    case 'municipality':
    case 'lgcode':
      return fc.oneof(
        wrongType('string'),
        fc.constantFrom(
          wrongCheckDigit('31201'),
          wrongCheckDigit('13101'),
          '3120',
          '3120111',
          '991234',
          '00000',
          fullWidth('312011'),
          '31201-1',
          '312011\u0301',
          '312 011',
          '',
          ...(field.kind === 'municipality' ? [withCheckDigit('31000'), withCheckDigit('13000')] : []),
        ),
        fc.constant(312011),
        fc.constant(11002),
        hugeString,
      );
    case 'corporate':
      return fc.oneof(
        wrongType('string'),
        fc.constantFrom(
          '1123456789012',
          '123456789012',
          '71234567890123',
          fullWidth('7123456789012'),
          '7-1234-5678-9012',
          '7123456789012\u0301',
          'T7123456789012',
          '',
        ),
        fc.constant(7123456789012),
        hugeString,
      );
    case 'date':
      return fc.oneof(wrongType('string'), fc.constantFrom(...invalidDates, ...(field.alsoInvalid ?? [])), fc.constant(20250601), hugeString);
    case 'int':
      return fc.oneof(
        wrongType('number'),
        fc.constantFrom(field.min - 1, field.max + 1, field.min + 0.5, -0.5, 2 ** 53, -(2 ** 53)),
        fc.constantFrom(new RawJson('1e400'), new RawJson('-1e400')),
      );
    case 'number':
      return fc.oneof(
        wrongType('number'),
        fc.constantFrom(field.min, field.min - 1, field.max + 0.5, field.max * 10),
        fc.constantFrom(new RawJson('1e400'), new RawJson('-1e400')),
      );
    case 'bool':
      return wrongType('boolean');
    case 'url':
      return fc.oneof(
        wrongType('string'),
        fc.constantFrom(
          'ftp://example.jp',
          'javascript:alert(1)',
          'https://',
          'example.jp',
          'https://exa mple.jp',
          'http://localhost',
          'https://127.0.0.1',
          'data:text/html,x',
          'https://example',
          'https://ex\u0000ample.jp',
          'https://-example.jp',
          'https:example.jp',
          `https://${'a'.repeat(3000)}.jp`,
        ),
        hugeString,
      );
    case 'email':
      return fc.oneof(
        wrongType('string'),
        fc.constantFrom('not-an-email', 'a@', '@b.jp', 'a@b', 'a b@c.jp', 'a@b.jp\u0000', 'ａ@b.jp', 'a@@b.jp', `${'a'.repeat(250)}@b.jp`),
        hugeString,
      );
    case 'phone':
      return fc.oneof(wrongType('string'), fc.constantFrom('abc', '03-1234-567８', '+81 (3) 1234', '1', '0'.repeat(30), '03-1234-5678\n'), hugeString);
    case 'learnerId':
      return fc.oneof(
        wrongType('string'),
        fc.constantFrom('', '-x', '.x', 'a b', 'a/b', 'a#b', 'ａ', 'x'.repeat(129), 'a\u0301', 'a\u0000', '../sec-l1', 'LEARNER#sec-l1'),
        hugeString,
      );
    case 'courseId':
      return fc.oneof(
        wrongType('string'),
        fc.constantFrom(
          'crs_',
          'CRS_00000000000000000000',
          `crs_${'A'.repeat(20)}`,
          `crs_${'a'.repeat(19)}`,
          `crs_${'a'.repeat(21)}`,
          'opn_00000000000000000000',
          fullWidth('crs_00000000000000000000'),
          'crs_0000000000000000000\u0301',
        ),
        hugeString,
      );
    case 'catalogVersion':
      return fc.oneof(
        wrongType('string'),
        fc.constantFrom('', '.1', '-1', '1.2 ', '１.２', '1/2', '1.2\u0301', 'x'.repeat(33), '__proto__', '1.2#x'),
        hugeString,
      );
    case 'list':
      return fc.oneof(
        wrongType('array'),
        fc.constant(new RawJson(`[${Array(20_000).fill('0').join(',')}]`)),
        fc.constant(deepArray(1000)),
        ...(field.min && field.min > 0 ? [fc.constant([])] : []),
      );
    case 'object':
      return fc.oneof(wrongType('object'), fc.constant(deepObject(1000)), fc.constant([{}]));
    case 'record':
      return fc.oneof(wrongType('object'), fc.constant(deepObject(1000)));
  }
}

// ---------------------------------------------------------------------------------------
// Keys and paths

export type Path = readonly (string | number)[];

export function getAt(value: unknown, path: Path): unknown {
  return path.reduce<unknown>((node, key) => (node as Record<string | number, unknown> | undefined)?.[key], value);
}

/** A copy of `value` with `path` set to `replacement` (containers on the way are copied). */
export function setAt(value: unknown, path: Path, replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const [head, ...rest] = path;
  const copy: any = Array.isArray(value) ? [...value] : { ...(value as object) };
  copy[head as string] = setAt(copy[head as string], rest, replacement);
  return copy;
}

export function deleteAt(value: unknown, path: Path): unknown {
  if (path.length === 1) {
    const copy: any = Array.isArray(value) ? [...value] : { ...(value as object) };
    delete copy[path[0] as string];
    return copy;
  }
  const [head, ...rest] = path;
  const copy: any = Array.isArray(value) ? [...value] : { ...(value as object) };
  copy[head as string] = deleteAt(copy[head as string], rest);
  return copy;
}

/** Names for a field the schema does not have: server-set fields, prototype keys, anything. */
export const unknownKey = (known: ReadonlySet<string>) =>
  fc
    .oneof(
      fc.constantFrom(
        'ownerOrg',
        'status',
        'role',
        'isAdmin',
        'id',
        'createdAt',
        'version',
        'verified',
        '__proto__',
        'constructor',
        'prototype',
        'toString',
        'hasOwnProperty',
        '',
        ' ',
        'title ',
        'Title',
      ),
      fc.string({ minLength: 1, maxLength: 20 }),
      fc.string({ unit: 'grapheme', minLength: 1, maxLength: 8 }),
    )
    .filter((key) => !known.has(key));

export const anyJsonValue = fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.constantFrom(...trickyObjects()));

export function keysOf(value: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const v of value) keysOf(v, into);
  else if (value && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      into.add(key);
      keysOf(v, into);
    }
  }
  return into;
}

// ---------------------------------------------------------------------------------------
// Malformed documents

/**
 * Texts that are not JSON at all, built around a valid document. (One leading UTF-8 BOM is
 * not among them: RFC 8259 lets a parser ignore it, and the API's UTF-8 decoder does.)
 */
export const malformedJson = (valid: string) =>
  fc.oneof(
    fc.integer({ min: 1, max: Math.max(1, valid.length - 1) }).map((n) => valid.slice(0, n)),
    fc.constantFrom(
      `${valid},`,
      `${valid}}`,
      `${valid}${valid}`,
      `\uFEFF\uFEFF${valid}`,
      `/* comment */${valid}`,
      valid.replace(/"/g, "'"),
      valid.replace(/"([A-Za-z]+)":/, '$1:'),
      valid.replace(/}$/, ',}'),
      `{"a":NaN}`,
      `{"a":undefined}`,
      `{"a":Infinity}`,
      `{"a":0x10}`,
      `{"a":01}`,
      `{"a":"\u0001"}`,
      `{"a":"\\x41"}`,
      `{"a":"\\u12"}`,
      '',
      ' ',
      'nul',
      'tru',
      '[',
      '{',
      '"',
      '{"a":1',
      '{"a":1}}',
      `${'['.repeat(1000)}`,
      `${'{"a":'.repeat(1000)}1`,
    ),
  );

export const wrongJsonContentTypes = [
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/xml',
  'text/xml',
  'text/html',
  'text/csv',
  'text/json',
  'application/javascript',
  'application/octet-stream',
  'application/jsonl',
  'application/json5',
  'application/jsonx',
  'json',
  '*/*',
  '',
];

export const wrongCsvContentTypes = [
  'application/json',
  'text/plain',
  'text/tab-separated-values',
  'application/vnd.ms-excel',
  'application/octet-stream',
  'text/csvx',
  'multipart/form-data; boundary=x',
  'csv',
  '',
];

// ---------------------------------------------------------------------------------------
// Path segments and query values

const decodesTo = (segment: string, valid: string) => {
  try {
    return decodeURIComponent(segment) === valid;
  } catch {
    return false;
  }
};

/** Raw (already percent-encoded where it must be) path segments that are not the valid id. */
export const hostileSegment = (valid: string) =>
  fc
    .oneof(
      fc.constantFrom('%', '%%', '%zz', '%E0%A4%A', '%C0%AF', '%FF', '%ED%A0%80', 'a%', '%2', `${valid}%`),
      fc.constantFrom('%00', '%0A', '%0D%0A', '%2F', '%5C', '%20', '%E2%80%AE', '%2F..%2F', '..%2F..', '%3Cscript%3E', "'%20OR%201=1--", '%23', '%3F', '*'),
      fc.constant(encodeURIComponent(fullWidth(valid))),
      fc.constant(`${valid}%CC%81`),
      fc.constant(encodeURIComponent(valid.toUpperCase())),
      fc.constant(valid.slice(0, -1)),
      fc.constant(`${valid}0`),
      fc.constant('x'.repeat(HUGE)),
      fc.constantFrom('..', '.', '%2e%2e', '%2E'),
      fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }).map((s) => encodeURIComponent(s)),
    )
    .filter((segment) => !decodesTo(segment, valid));

/** Invalid page sizes; `overCap` are well-formed numbers above the cap of 100. */
export const overCapLimit = fc.oneof(fc.integer({ min: 101, max: 999 }).map(String), fc.constantFrom('101', '1000', '99999', '999999999999'));
export const invalidLimit = fc.constantFrom('0', '-1', '00', '1e2', '10.5', '0x10', '１０', ' 10', '10 ', '', 'ten', '10\u0301', '%zz', '+5');

export const invalidCursor = fc.oneof(
  fc.constantFrom('!!!', '%zz', 'e30', 'W10', 'MQ', 'bnVsbA', 'eyJwayI6MX0', 'x'.repeat(2049), '\u0000', '////'),
  fc.string({ minLength: 1, maxLength: 60 }).map((s) => encodeURIComponent(s)),
  fc.jsonValue({ maxDepth: 2 }).map((v) => Buffer.from(JSON.stringify(v)).toString('base64url')),
  // A well-formed cursor of another partition.
  fc.constant(Buffer.from(JSON.stringify({ pk: 'LEARNER#someone-else', sk: 'COMPLETION#2025-01-01#crs_00000000000000000000' })).toString('base64url')),
);

// ---------------------------------------------------------------------------------------
// CSV

export const quoteCell = (cell: string) => `"${cell.replace(/"/g, '""')}"`;
export const csvLine = (cells: readonly string[]) => cells.map(quoteCell).join(',');
