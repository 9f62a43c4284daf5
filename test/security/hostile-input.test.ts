/**
 * Hostile input, route by route (every route of the route table; a route without a
 * generator fails the suite). For each route a fast-check generator breaks ONE thing of a
 * request that is otherwise valid and sent with a token of a role the route allows (so it
 * reaches validation): the body (wrong types, huge strings and arrays, depth-1000 nesting,
 * control and combining characters, full-width digits, invalid prefecture / municipality /
 * corporate codes, invalid and out-of-range dates, unknown fields, duplicate keys, missing
 * fields), the JSON itself (malformed), the CSV (malformed files), the content type, the
 * size (over the route's maxBodyBytes: 413 before parsing, even for a body that would
 * otherwise be valid), the path (invalid percent-encoding, wrong formats), the query
 * (unknown keys, invalid values, page sizes over the cap: 400), the Authorization header,
 * the Idempotency-Key header.
 *
 * Every answer must be a 4xx problem+json (type, title, status, detail); never a 5xx.
 * The whole table is snapshot before and after each route's batch and must be equal,
 * with one documented exception: an AUDIT# "read-…" entry by the caller on a GET route
 * whose authorization passed (see allowedWrites).
 *
 * Dedicated cases pin inputs that need particular care, each answered with a 4xx problem
 * and writing nothing:
 *   a prefecture field holding a JSON object with a "toString" member: 400 validation-failed
 *     (the property generators produce these too, and expect the same 400);
 *   a cursor naming the list's own partition but a bad sort key: 422;
 *   a valid catalog over DynamoDB's 400 KB item limit (the body limit is 1 MB): a 4xx.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MAX_BODY_BYTES, type RouteSpec } from '../../shared/http/route';
import { currentCountingRule } from '../../shared/rules/bundled';
import { routeList, type RouteId } from '../../shared/http/routes';
import { addDays } from '../../shared/time/japan-time';
import {
  anyJsonValue,
  breaksStringConversion,
  csvLine,
  deepArray,
  deepObject,
  deleteAt,
  fullWidth,
  getAt,
  hostileSegment,
  invalidCursor,
  invalidDates,
  invalidLimit,
  invalidValue,
  keysOf,
  malformedJson,
  overCapLimit,
  setAt,
  toJson,
  unknownKey,
  wrongCsvContentTypes,
  wrongJsonContentTypes,
  type FieldKind,
  type Path,
} from '../support/security-arbitraries';
import { describeRequest, expectProblem, send, type RawRequest } from '../support/security-http';
import { describeDiff, diffSnapshots, isEmptyDiff, snapshotTable, type SnapshotDiff } from '../support/security-snapshot';
import { buildWorld, LEARNER, openingBody, ORG, PLACE, PROVIDER, strongCourse, today, type World } from '../support/security-world';

const NUM_RUNS = Number(process.env.KANRYU_HOSTILE_RUNS ?? 30);

let w: World;
/** Provider A's xAPI client (HTTP Basic): the credentials of valid xAPI requests. */
let lrsHeaders: Record<string, string>;

beforeAll(async () => {
  w = await buildWorld();
  const issued = await send({ method: 'POST', url: '/v1/xapi/credentials', token: w.tokens.provider });
  expect(issued.status, issued.text).toBe(201);
  lrsHeaders = {
    authorization: `Basic ${Buffer.from(`${issued.json.key}:${issued.json.secret}`).toString('base64')}`,
    'x-experience-api-version': '1.0.3',
  };
}, 120_000);

// ---------------------------------------------------------------------------------------
// What a hostile case is

interface Hostile {
  what: string;
  request: RawRequest;
  /** Statuses allowed; default: any 4xx. */
  expect?: readonly number[];
  /** The problem type the answer must carry. */
  type?: string;
}

const problemType = (name: string) => `urn:kanryu:problem:${name}`;

/**
 * A prefecture field holding an object with a "toString" member (String() of it throws) is
 * a wrong type like any other: 400 validation-failed.
 */
const stringConversionExpectation = (kind: FieldKind, value: unknown) =>
  kind.kind === 'prefecture' && breaksStringConversion(value) ? { expect: [400], type: problemType('validation-failed') } : {};

/** The route and everything a generator needs to build valid requests for it. */
interface Target {
  route: RouteSpec & { id: string };
  token?: string;
  /** Path parameter values of a valid request. */
  params?: Record<string, string>;
  /** Hostile values of a path parameter, where the shared ones could happen to be valid (a provider id is any slug). */
  segments?: Record<string, fc.Arbitrary<string>>;
  /** Query of a valid request. */
  query?: Record<string, string>;
  queryFields?: Record<string, fc.Arbitrary<string>>;
  json?: { baseline: unknown; fields: [Path, FieldKind][]; required: Path[]; batch?: true };
  /** Headers of a valid request besides the token and content-type (an xAPI client's Basic credentials and version). */
  headers?: Record<string, string>;
}

const routeById = (id: RouteId) => routeList.find((r) => r.id === id)!;
/** A well-formed matching cycle id that names no cycle. */
const NO_CYCLE = 'cyc_00000000000000000000';
const maxBytesOf = (route: RouteSpec) => route.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;

function urlOf(target: Target, params = target.params ?? {}, query: string | Record<string, string> | undefined = target.query) {
  const path = target.route.path.replace(/\{(\w+)\}/g, (_, name: string) => params[name] ?? `{${name}}`);
  const search = typeof query === 'string' ? query : query ? new URLSearchParams(query).toString() : '';
  return search ? `${path}?${search}` : path;
}

function baseRequest(target: Target): RawRequest {
  return {
    method: target.route.method,
    url: urlOf(target),
    ...(target.token ? { token: target.token } : {}),
    ...(target.json ? { headers: { ...target.headers, 'content-type': 'application/json' }, body: toJson(target.json.baseline) } : {}),
    ...(target.headers && !target.json ? { headers: target.headers } : {}),
  };
}

// ---------------------------------------------------------------------------------------
// Families of hostile requests

/** One field of the JSON body replaced by a value its schema refuses. */
function fieldFamily(target: Target): fc.Arbitrary<Hostile> {
  const { baseline, fields } = target.json!;
  return fc
    .constantFrom(...fields)
    .chain(([path, kind]) => invalidValue(kind).map((value) => ({ path, kind, value })))
    .map(({ path, kind, value }) => ({
      what: `field ${path.join('.')} (${kind.kind}) = ${toJson(value).slice(0, 60)}`,
      request: { ...baseRequest(target), body: toJson(setAt(baseline, path, value)) },
      ...stringConversionExpectation(kind, value),
    }));
}

/** The same field sent twice, the last one invalid (JSON.parse keeps the last). */
function duplicateKeyFamily(target: Target): fc.Arbitrary<Hostile> {
  const { baseline, fields } = target.json!;
  const topLevel = fields.filter(([path]) => path.length === 1);
  return fc
    .constantFrom(...topLevel)
    .chain(([path, kind]) => invalidValue(kind).map((value) => ({ key: String(path[0]), kind, value })))
    .map(({ key, kind, value }) => {
      const text = toJson(baseline);
      return {
        what: `duplicate key ${key}`,
        request: { ...baseRequest(target), body: `${text.slice(0, -1)},${JSON.stringify(key)}:${toJson(value)}}` },
        ...stringConversionExpectation(kind, value),
      };
    });
}

/** A key the schema does not know, at the top or inside a nested object. */
function unknownFieldFamily(target: Target): fc.Arbitrary<Hostile> {
  const { baseline, fields } = target.json!;
  const known = keysOf(baseline);
  for (const [path] of fields) for (const key of path) if (typeof key === 'string') known.add(key);
  for (const optional of [
    'end',
    'url',
    'pay',
    'contact',
    'prefecture',
    'hometownPrefecture',
    'makeCurrent',
    'mappings',
    'provisionalReason',
    'group',
    'email',
    'phone',
    'evidence',
    'certificateNumber',
    'learnerId',
    'status',
    'dryRun',
    'includeSelfReported',
  ])
    known.add(optional);
  const containers: Path[] = [[], ...fields.filter(([path, kind]) => kind.kind === 'object' && getAt(baseline, path) !== undefined).map(([path]) => path)];
  return fc.tuple(fc.constantFrom(...containers), unknownKey(known), anyJsonValue).map(([container, key, value]) => {
    const node = { ...(getAt(baseline, container) as object) } as Record<string, unknown>;
    Object.defineProperty(node, key, { value, enumerable: true, configurable: true, writable: true });
    return {
      what: `unknown field ${[...container, key].join('.')}`,
      request: { ...baseRequest(target), body: toJson(setAt(baseline, container, node)) },
      expect: [400],
    };
  });
}

function missingFieldFamily(target: Target): fc.Arbitrary<Hostile> {
  const { baseline, required } = target.json!;
  return fc.constantFrom(...required).map((path) => ({
    what: `missing ${path.join('.')}`,
    request: { ...baseRequest(target), body: toJson(deleteAt(baseline, path)) },
  }));
}

function notAnObjectFamily(target: Target): fc.Arbitrary<Hostile> {
  // An xAPI batch is an array of statements: there only the empty and the nested arrays are wrong.
  const arrays = target.json!.batch ? [] : [[target.json!.baseline]];
  return fc.constantFrom<unknown>(null, [], ...arrays, 'body', 0, true, deepArray(1000), deepObject(1000)).map((body) => ({
    what: `body ${toJson(body).slice(0, 40)}`,
    request: { ...baseRequest(target), body: toJson(body) },
    expect: [400],
  }));
}

function malformedJsonFamily(target: Target): fc.Arbitrary<Hostile> {
  const valid = toJson(target.json!.baseline);
  return fc.oneof(
    malformedJson(valid).map((text) => ({
      what: `malformed JSON ${text.slice(0, 40)}`,
      request: { ...baseRequest(target), body: text },
      expect: [400],
      type: problemType('malformed-body'),
    })),
    fc.constantFrom(Buffer.from([0xff]), Buffer.from([0xc0, 0xaf]), Buffer.from([0xfe, 0xff]), Buffer.from([0x80])).map((bytes) => ({
      what: 'invalid UTF-8 bytes before the JSON',
      request: { ...baseRequest(target), body: Buffer.concat([bytes, Buffer.from(valid)]) },
      expect: [400],
      type: problemType('malformed-body'),
    })),
  );
}

/** The valid body with a content type the route does not take (or none). */
function contentTypeFamily(target: Target, types: readonly string[], body: string | Buffer): fc.Arbitrary<Hostile> {
  return fc.constantFrom(...types, undefined).map((contentType) => {
    const base = baseRequest(target);
    const headers = { ...base.headers };
    delete headers['content-type'];
    if (contentType !== undefined) headers['content-type'] = contentType;
    return { what: `content-type ${contentType ?? '(none)'}`, request: { ...base, headers, body }, expect: [415], type: problemType('unsupported-media-type') };
  });
}

/** Over maxBodyBytes: 413 before any parsing, even when the bytes would otherwise be valid. */
function oversizedFamily(target: Target, valid: string, contentType: string): fc.Arbitrary<Hostile> {
  const max = maxBytesOf(target.route);
  return fc.tuple(fc.integer({ min: 1, max: 4096 }), fc.constantFrom('padded-valid', 'garbage', 'wrong-type')).map(([extra, how]) => {
    const size = max + extra;
    // Padding that keeps the document valid: JSON allows trailing spaces, the CSV import skips blank lines.
    const text = how === 'padded-valid' ? valid.padEnd(size, valid.startsWith('{') ? ' ' : '\n') : 'x'.repeat(size);
    const base = baseRequest(target);
    return {
      what: `oversized body (${how}, ${size} bytes, limit ${max})`,
      request: { ...base, headers: { ...base.headers, 'content-type': how === 'wrong-type' ? 'text/plain' : contentType }, body: text },
      expect: [413],
      type: problemType('payload-too-large'),
    };
  });
}

/** A body sent to a route that takes none. */
function bodyOnBodilessFamily(target: Target): fc.Arbitrary<Hostile> {
  return fc
    .tuple(
      fc.oneof(
        anyJsonValue.map((v) => JSON.stringify(v) ?? 'null'),
        fc.string({ minLength: 1, maxLength: 200 }),
        fc.constant('x'.repeat(60_000)),
      ),
      fc.constantFrom('application/json', 'text/plain', 'text/csv', 'application/x-www-form-urlencoded', ''),
    )
    .filter(([body]) => body.length > 0)
    .map(
      ([body, contentType]): Hostile => ({
        what: `body on a route without one (${contentType || 'no content-type'})`,
        request: { ...baseRequest(target), headers: { ...target.headers, ...(contentType ? { 'content-type': contentType } : {}) }, body },
        expect: [415],
        type: problemType('unsupported-media-type'),
      }),
    );
}

function pathFamily(target: Target): fc.Arbitrary<Hostile> {
  const names = Object.keys(target.params!);
  return fc
    .constantFrom(...names)
    .chain((name) => (target.segments?.[name] ?? hostileSegment(target.params![name]!)).map((segment) => ({ name, segment })))
    .map(({ name, segment }) => ({
      what: `path ${name} = ${segment.slice(0, 60)}`,
      request: { ...baseRequest(target), url: urlOf(target, { ...target.params, [name]: segment }) },
    }));
}

function queryFamily(target: Target): fc.Arbitrary<Hostile> {
  const fields = target.queryFields!;
  const base = target.query ?? {};
  const families: fc.Arbitrary<Hostile>[] = [
    fc
      .constantFrom(...Object.keys(fields))
      .chain((key) => fields[key]!.map((value) => ({ key, value })))
      .map(({ key, value }) => ({
        what: `query ${key} = ${value.slice(0, 60)}`,
        request: { ...baseRequest(target), url: urlOf(target, undefined, { ...base, [key]: value }) },
      })),
    fc
      .oneof(
        fc.constantFrom('foo', 'LIMIT', 'limit ', 'Prefecture', 'constructor', 'toString', 'page', 'offset', 'filter[status]', 'a'.repeat(1000)),
        fc.string({ minLength: 1, maxLength: 12 }),
      )
      .filter((key) => !Object.hasOwn(fields, key) && key !== '__proto__' && key.trim() !== '')
      .map((key) => ({
        what: `unknown query key ${key.slice(0, 40)}`,
        request: { ...baseRequest(target), url: urlOf(target, undefined, { ...base, [key]: '1' }) },
        expect: [400],
      })),
    fc.constantFrom('%zz', '%E0%A4%A', '%', '%FF%FE', '%00').chain((raw) =>
      fc.constantFrom(...Object.keys(fields)).map((key) => ({
        what: `query ${key} with raw ${raw}`,
        request: {
          ...baseRequest(target),
          url: urlOf(target, undefined, `${new URLSearchParams(base).toString()}${Object.keys(base).length ? '&' : ''}${key}=${raw}`),
        },
      })),
    ),
  ];
  if ('limit' in fields) {
    families.push(
      overCapLimit.map((limit) => ({
        what: `limit ${limit} over the cap`,
        request: { ...baseRequest(target), url: urlOf(target, undefined, { ...base, limit }) },
        expect: [400],
        type: problemType('validation-failed'),
      })),
    );
  }
  return fc.oneof(...families);
}

function authFamily(target: Target): fc.Arbitrary<Hostile> {
  const token = target.token ?? w.tokens.admin;
  const [header, payload, signature] = token.split('.') as [string, string, string];
  const flipped = `${signature.slice(0, 10)}${signature[10] === 'A' ? 'B' : 'A'}${signature.slice(11)}`;
  return fc
    .constantFrom(
      'Bearer',
      'Bearer ',
      'Bearer a b',
      'Basic Zm9vOmJhcg==',
      'Token abc',
      `Bearer ${header}.${payload}.${flipped}`,
      `Bearer ${header}.${payload}.`,
      `Bearer ${token}.x`,
      `Bearer ${'A'.repeat(10_000)}`,
      `Bearer ${Buffer.from('{"alg":"none"}').toString('base64url')}.${payload}.`,
      `Bearer\u0000${token}`,
    )
    .map((authorization) => {
      const base = baseRequest(target);
      const { token: _dropped, ...rest } = base;
      return {
        what: 'hostile Authorization header',
        request: { ...rest, headers: { ...base.headers, authorization } },
        expect: [401],
        type: problemType('unauthenticated'),
      };
    });
}

function idempotencyKeyFamily(target: Target): fc.Arbitrary<Hostile> {
  return fc
    .constantFrom('', 'short', 'x'.repeat(129), 'has a space', 'ключ-unicode-key', 'tab\tkey12345', 'nul\u0000key1234', '日本語のキーです')
    .map((key) => {
      const base = baseRequest(target);
      return {
        what: `Idempotency-Key ${JSON.stringify(key).slice(0, 40)}`,
        request: { ...base, headers: { ...base.headers, 'idempotency-key': key } },
        expect: [400],
        type: problemType('validation-failed'),
      };
    });
}

/** Every family that applies to a target. */
function familiesOf(target: Target, extra: fc.Arbitrary<Hostile>[] = []): fc.Arbitrary<Hostile> {
  const { route } = target;
  const families: fc.Arbitrary<Hostile>[] = [...extra];
  if (target.json) {
    const valid = toJson(target.json.baseline);
    families.push(
      fieldFamily(target),
      fieldFamily(target),
      unknownFieldFamily(target),
      notAnObjectFamily(target),
      malformedJsonFamily(target),
      contentTypeFamily(target, wrongJsonContentTypes, valid),
      oversizedFamily(target, valid, 'application/json'),
      duplicateKeyFamily(target),
    );
    if (target.json.required.length) families.push(missingFieldFamily(target));
    if (route.idempotent) families.push(idempotencyKeyFamily(target));
  } else if (!route.body) {
    families.push(bodyOnBodilessFamily(target), oversizedFamily(target, '{}', 'application/json'));
  }
  if (target.params) families.push(pathFamily(target), pathFamily(target));
  if (target.queryFields) families.push(queryFamily(target), queryFamily(target));
  if (route.access.kind !== 'public') families.push(authFamily(target));
  return fc.oneof(...families);
}

/** A valid xAPI statement of no consequence (no completion verb): what hostile variants start from. */
const xapiStatement = {
  id: 'a1b2c3d4-0000-4000-8000-00000000abcd',
  actor: { objectType: 'Agent', account: { homePage: 'https://lms.example.jp', name: 'hostile' } },
  verb: { id: 'http://adlnet.gov/expapi/verbs/experienced' },
  object: { objectType: 'Activity', id: 'https://lms.example.jp/a' },
  result: { completion: true },
  timestamp: '2025-06-01T10:00:00+09:00',
};

// ---------------------------------------------------------------------------------------
// Invalid query values

const q = {
  uuid: fc.constantFrom(
    '',
    'not-a-uuid',
    '1234',
    'a1b2c3d4-0000-4000-8000-00000000000',
    'a1b2c3d4-0000-4000-8000-0000000000001',
    '%zz',
    'g1b2c3d4-0000-4000-8000-000000000001',
  ),
  limit: fc.oneof(invalidLimit, overCapLimit),
  cursor: fc.oneof(invalidCursor),
  prefecture: fc.constantFrom('00', '48', '1', '013', '３１', '31 ', '31\u0301', 'Tottori', '', '31,32', 'x'.repeat(100_000)),
  slug: fc.constantFrom('', 'Data-Engineer', 'data_engineer', '-x', 'x-', 'データ', 'ﾃﾞｰﾀ', 'x'.repeat(65), 'a b', 'data-engineer\u0301', fullWidth('data')),
  provider: fc.constantFrom('', 'a b', 'x'.repeat(65), 'ｐｒｏｖ', 'a/b', 'a#b', 'prov\u0000', 'プロバイダ'),
  version: fc.constantFrom('', '.1', '１.２', 'x'.repeat(33), '1/2', '1.2\u0301'),
  fiscalYear: fc.constantFrom('2021', '1999', '25', '20255', '２０２５', 'abcd', '2025.0', ' 2025', '', '-2025', '2025\u0301'),
  placementsYear: fc.constantFrom('1999', '25', '20255', '２０２５', 'abcd', '2025.0', '', '3025'),
  rule: fc.constantFrom('', '-1', 'x'.repeat(33), '２０２６.１', '2026/1', '2026.1\u0000', '.2026'),
  format: fc.constantFrom('', 'CSV', 'xml', 'csv ', 'ｃｓｖ', 'text/csv', 'csv,json'),
  by: fc.constantFrom('', 'day', 'Month', 'month ', 'months', 'ｍｏｎｔｈ', 'month,month', 'fiscalYear'),
  status: fc.constantFrom('OPEN', 'opened', 'all', '', 'draft,open', 'ｏｐｅｎ', 'open\u0301', '*'),
  bool: fc.constantFrom('TRUE', 'True', '1', 'yes', '', 'true ', 'ｔｒｕｅ'),
};

// ---------------------------------------------------------------------------------------
// The generators, one per route

const workStyles = ['full-time', 'side-job', 'dispatch', 'remote'] as const;
const levels = ['a', 'b', 'c', 'd'] as const;

function openingFields(prefix: Path = []): [Path, FieldKind][] {
  const p = (...rest: (string | number)[]): Path => [...prefix, ...rest];
  return [
    [p('title'), { kind: 'text', max: 200 }],
    [p('description'), { kind: 'text', max: 5000 }],
    [p('roles'), { kind: 'list', max: 5, min: 1 }],
    [p('roles', 0), { kind: 'slug' }],
    [p('required'), { kind: 'list', max: 30 }],
    [p('required', 0), { kind: 'object' }],
    [p('required', 0, 'skill'), { kind: 'slug' }],
    [p('required', 0, 'level'), { kind: 'enum', values: levels }],
    [p('niceToHave'), { kind: 'list', max: 30 }],
    [p('niceToHave', 0, 'level'), { kind: 'enum', values: levels }],
    [p('workStyle'), { kind: 'enum', values: workStyles }],
    [p('workplace'), { kind: 'municipality' }],
    [p('workplaceName'), { kind: 'text', max: 40 }],
    [p('headcount'), { kind: 'int', min: 1, max: 1000 }],
    [p('period'), { kind: 'object' }],
    [p('period', 'start'), { kind: 'date' }],
    [p('period', 'end'), { kind: 'date' }],
    [p('deadline'), { kind: 'date', alsoInvalid: [addDays(today, -1), '2000-01-01'] }],
    [p('pay'), { kind: 'object' }],
    [p('pay', 'currency'), { kind: 'enum', values: ['JPY'] }],
    [p('pay', 'unit'), { kind: 'enum', values: ['hour', 'month', 'year'] }],
    [p('pay', 'min'), { kind: 'int', min: 0, max: 100_000_000 }],
    [p('pay', 'max'), { kind: 'int', min: 0, max: 100_000_000 }],
  ];
}

/** Hostile path segments that never decode to a valid provider id (any lower-case slug of 3-64 is one). */
const hostileProviderId = hostileSegment(PROVIDER.own).filter((segment) => {
  try {
    return !/^[a-z0-9-]{3,64}$/.test(decodeURIComponent(segment));
  } catch {
    return true;
  }
});

const completionDate: FieldKind = { kind: 'date', alsoInvalid: ['2099-01-01', '1979-12-31', '1970-01-01', addDays(today, 1), '1900-01-01'] };

type Generator = (w: World) => fc.Arbitrary<Hostile>;

const generators: Partial<Record<RouteId, Generator>> = {
  health: () => familiesOf({ route: routeById('health') }),
  openapi: () => familiesOf({ route: routeById('openapi') }),
  me: (w) => familiesOf({ route: routeById('me'), token: w.tokens.center }),
  listCatalog: () => familiesOf({ route: routeById('listCatalog') }),
  getCatalog: () => familiesOf({ route: routeById('getCatalog'), params: { version: '1.2' } }),
  getCatalogRole: () => familiesOf({ route: routeById('getCatalogRole'), params: { version: '1.2', roleId: 'data-engineer' } }),
  installCatalog: (w) => {
    const c = (...rest: (string | number)[]): Path => ['catalog', ...rest];
    return familiesOf({
      route: routeById('installCatalog'),
      token: w.tokens.admin,
      json: {
        baseline: { catalog: { ...w.catalog12, version: 'hostile-base', label: 'hostile baseline' }, makeCurrent: false },
        fields: [
          [c(), { kind: 'object' }],
          [c('version'), { kind: 'catalogVersion' }],
          [c('label'), { kind: 'string' }],
          [c('provisional'), { kind: 'bool' }],
          [c('literacy'), { kind: 'object' }],
          [c('literacy', 'standard'), { kind: 'string' }],
          [c('literacy', 'parts'), { kind: 'list' }],
          [c('literacy', 'parts', 0), { kind: 'object' }],
          [c('literacy', 'parts', 0, 'id'), { kind: 'slug' }],
          [c('literacy', 'parts', 0, 'ja'), { kind: 'nonEmpty' }],
          [c('literacy', 'items'), { kind: 'list' }],
          [c('literacy', 'items', 0, 'partId'), { kind: 'slug' }],
          [c('promotion'), { kind: 'object' }],
          [c('promotion', 'types'), { kind: 'list' }],
          [c('promotion', 'roles', 0), { kind: 'object' }],
          [c('promotion', 'roles', 0, 'id'), { kind: 'slug' }],
          [c('promotion', 'roles', 0, 'typeId'), { kind: 'slug' }],
          [c('promotion', 'skills', 0, 'subcategoryId'), { kind: 'slug' }],
          [c('promotion', 'skills', 0, 'en'), { kind: 'nonEmpty' }],
          [c('promotion', 'subcategories', 0, 'categoryId'), { kind: 'slug' }],
          [c('promotion', 'importance'), { kind: 'record' }],
          [c('promotion', 'importance', 'data-engineer'), { kind: 'record' }],
          [c('promotion', 'importance', 'data-engineer', 'data-platform-design'), { kind: 'enum', values: ['a', 'b', 'c', 'd', 'z'], nullable: true }],
          [c('mappings'), { kind: 'list' }],
          [['makeCurrent'], { kind: 'bool' }],
        ],
        required: [['catalog'], c('version'), c('provisional'), c('literacy'), c('promotion', 'importance'), c('promotion', 'roles')],
      },
    });
  },
  putMyProfile: (w) =>
    familiesOf({
      route: routeById('putMyProfile'),
      token: w.tokens.learner,
      json: {
        baseline: {
          residence: { municipality: PLACE.tottoriCity },
          workPrefectures: ['31'],
          workStyles: ['full-time'],
          turn: { intent: 'u-turn', hometownPrefecture: '31' },
          matchingConsent: true,
          contact: { name: 'テスト 花子' },
        },
        fields: [
          [['residence'], { kind: 'object' }],
          [['residence', 'municipality'], { kind: 'municipality' }],
          [['residence', 'prefecture'], { kind: 'prefecture' }],
          [['workPrefectures'], { kind: 'list', max: 47 }],
          [['workPrefectures', 0], { kind: 'prefecture' }],
          [['workStyles'], { kind: 'list', max: 4, min: 1 }],
          [['workStyles', 0], { kind: 'enum', values: workStyles }],
          [['turn'], { kind: 'object' }],
          [['turn', 'intent'], { kind: 'enum', values: ['u-turn', 'i-turn', 'j-turn', 'none'] }],
          [['turn', 'hometownPrefecture'], { kind: 'prefecture' }],
          [['matchingConsent'], { kind: 'bool' }],
          [['contact'], { kind: 'object' }],
          [['contact', 'name'], { kind: 'text', max: 100 }],
          [['contact', 'email'], { kind: 'email' }],
          [['contact', 'phone'], { kind: 'phone' }],
        ],
        required: [
          ['residence'],
          ['residence', 'municipality'],
          ['workPrefectures'],
          ['workStyles'],
          ['turn'],
          ['turn', 'intent'],
          ['matchingConsent'],
          ['contact', 'name'],
        ],
      },
    }),
  getMyProfile: (w) => familiesOf({ route: routeById('getMyProfile'), token: w.tokens.learner }),
  exportMyData: (w) => familiesOf({ route: routeById('exportMyData'), token: w.tokens.learner }),
  // Any body (or none of the hostile ones) must be refused before erasure is even considered.
  eraseMyData: (w) => familiesOf({ route: routeById('eraseMyData'), token: w.tokens.learner }),
  linkProvider: (w) =>
    familiesOf({
      route: routeById('linkProvider'),
      token: w.tokens.learner,
      params: { providerId: PROVIDER.own },
      segments: { providerId: hostileProviderId },
    }),
  unlinkProvider: (w) =>
    familiesOf({
      route: routeById('unlinkProvider'),
      token: w.tokens.learner,
      params: { providerId: PROVIDER.own },
      segments: { providerId: hostileProviderId },
    }),
  getLearner: (w) => familiesOf({ route: routeById('getLearner'), token: w.tokens.admin, params: { learnerId: LEARNER.own } }),
  createCourse: (w) =>
    familiesOf({
      route: routeById('createCourse'),
      token: w.tokens.provider,
      json: {
        baseline: { ...strongCourse('敵対的入力の講座'), url: 'https://example.jp/course' },
        fields: [
          [['title'], { kind: 'text', max: 200 }],
          [['delivery'], { kind: 'enum', values: ['online', 'in-person', 'blended', 'self-paced'] }],
          [['hours'], { kind: 'number', min: 0, max: 2000 }],
          [['catalogVersion'], { kind: 'catalogVersion' }],
          [['literacyItems'], { kind: 'list', max: 100 }],
          [['literacyItems', 0], { kind: 'object' }],
          [['literacyItems', 0, 'item'], { kind: 'slug' }],
          [['literacyItems', 0, 'level'], { kind: 'enum', values: levels }],
          [['skills'], { kind: 'list', max: 100 }],
          [['skills', 0, 'skill'], { kind: 'slug' }],
          [['skills', 0, 'level'], { kind: 'enum', values: levels }],
          [['certification'], { kind: 'bool' }],
          [['url'], { kind: 'url' }],
        ],
        required: [['title'], ['delivery'], ['hours'], ['catalogVersion'], ['literacyItems'], ['skills'], ['certification']],
      },
    }),
  getCourse: (w) => familiesOf({ route: routeById('getCourse'), params: { courseId: w.courses.own } }),
  listCourses: () =>
    familiesOf({
      route: routeById('listCourses'),
      query: { provider: PROVIDER.own },
      queryFields: { item: q.slug, role: q.slug, provider: q.provider, version: q.version, limit: q.limit, cursor: q.cursor },
    }),
  reportCompletion: (w) =>
    fc.oneof(
      familiesOf({
        route: routeById('reportCompletion'),
        token: w.tokens.learner,
        json: {
          baseline: { courseId: w.courses.own, completedOn: '2025-06-03', evidence: { certificateNumber: 'H-1', url: 'https://example.jp/c/1' } },
          fields: [
            [['learnerId'], { kind: 'learnerId' }],
            [['courseId'], { kind: 'courseId' }],
            [['completedOn'], completionDate],
            [['evidence'], { kind: 'object' }],
            [['evidence', 'certificateNumber'], { kind: 'text', max: 64 }],
            [['evidence', 'url'], { kind: 'url' }],
          ],
          required: [['courseId'], ['completedOn'], ['evidence']],
        },
      }),
      familiesOf({
        route: routeById('reportCompletion'),
        token: w.tokens.provider,
        json: {
          baseline: { learnerId: LEARNER.own, courseId: w.courses.own, completedOn: '2025-06-04' },
          fields: [
            [['learnerId'], { kind: 'learnerId' }],
            [['courseId'], { kind: 'courseId' }],
            [['completedOn'], completionDate],
            [['evidence'], { kind: 'object' }],
          ],
          required: [['learnerId'], ['courseId'], ['completedOn']],
        },
      }),
    ),
  importCompletions: (w) => {
    const target: Target = { route: routeById('importCompletions'), token: w.tokens.provider };
    const header = 'learner_id,course_id,completed_on';
    const good = `${header}\n${LEARNER.own},${w.courses.own},2025-07-02\n`;
    const csv = (text: string | Buffer, what: string): Hostile => ({
      what,
      request: { ...baseRequest(target), headers: { 'content-type': 'text/csv' }, body: text },
      expect: [422],
      type: problemType('unprocessable'),
    });
    const malformed = fc.oneof(
      fc.constantFrom(
        csv('who,what\n1,2\n', 'unknown columns'),
        csv(`learner_id,course_id\n${LEARNER.own},${w.courses.own}\n`, 'a required column missing'),
        csv(`learner_id,learner_id,course_id,completed_on\n`, 'a column twice'),
        csv(`${header},extra\n`, 'an extra column'),
        csv(`${fullWidth('learner_id')},course_id,completed_on\n`, 'a full-width header'),
        csv(`learner_id\u0000,course_id,completed_on\n`, 'a control character in the header'),
        csv(`learner_id;course_id;completed_on\n${LEARNER.own};${w.courses.own};2025-07-02\n`, 'semicolons'),
        csv(`"learner_id,course_id,completed_on\n`, 'an unclosed quote in the header'),
        csv(`"learner_id"x,course_id,completed_on\n`, 'text after a closing quote'),
        csv(`${header}\n"${LEARNER.own},${w.courses.own},2025-07-02\n`, 'an unclosed quote in a row'),
        csv(`${header}\n"${LEARNER.own}"junk,${w.courses.own},2025-07-02\n`, 'text after a closing quote in a row'),
        csv('', 'an empty file'),
        csv('\uFEFF', 'a BOM alone'),
        csv('\n\n\r\n  \n', 'blank lines only'),
        csv(',,,\n', 'empty header cells'),
        csv(`${header}\n${'a,b,c\n'.repeat(10_001)}`, '10,001 data rows'),
        csv(Buffer.from([0x83, 0x65, 0x83, 0x58, 0x83, 0x67, 0x0a]), 'Shift_JIS bytes'),
        csv(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(good, 'utf16le')]), 'UTF-16 with BOM'),
        csv(Buffer.concat([Buffer.from(good), Buffer.from([0xc0, 0xaf])]), 'an overlong UTF-8 sequence'),
        csv(Buffer.concat([Buffer.from(header), Buffer.from([0x80]), Buffer.from('\n')]), 'a lone continuation byte'),
      ),
      fc.string({ unit: 'grapheme', maxLength: 300 }).map((garbage) => csv(`x${garbage}`, 'garbage')),
    );
    return fc.oneof(malformed, malformed, contentTypeFamily(target, wrongCsvContentTypes, good), oversizedFamily(target, good, 'text/csv'), authFamily(target));
  },
  listCompletions: (w) =>
    familiesOf({
      route: routeById('listCompletions'),
      token: w.tokens.admin,
      params: { learnerId: LEARNER.own },
      queryFields: { limit: q.limit, cursor: q.cursor },
    }),
  getSkills: (w) => familiesOf({ route: routeById('getSkills'), token: w.tokens.admin, params: { learnerId: LEARNER.own } }),
  listCountingRules: () => familiesOf({ route: routeById('listCountingRules') }),
  getProgress: (w) =>
    familiesOf(
      {
        route: routeById('getProgress'),
        token: w.tokens.admin,
        queryFields: { fiscalYear: q.fiscalYear, prefecture: q.prefecture, type: q.slug, role: q.slug, rule: q.rule, format: q.format },
      },
      [
        fc.constantFrom('type=software-engineer&role=data-engineer', 'role=astronaut', 'type=astronaut', 'rule=1999.9').map((query) => ({
          what: `progress ${query}`,
          request: { method: 'GET', url: `/v1/progress?${query}`, token: w.tokens.admin },
          expect: [422],
        })),
      ],
    ),
  getProgressSeries: (w) =>
    familiesOf(
      {
        route: routeById('getProgressSeries'),
        token: w.tokens.admin,
        query: { by: 'month' },
        queryFields: { by: q.by, rule: q.rule, format: q.format },
      },
      [
        fc.constantFrom('', 'rule=2026.1', 'format=csv').map((query) => ({
          what: `series without by: ${query}`,
          request: { method: 'GET', url: `/v1/progress/series?${query}`, token: w.tokens.admin },
          expect: [400],
        })),
        fc.constant({
          what: 'series rule 1999.9',
          request: { method: 'GET', url: '/v1/progress/series?by=month&rule=1999.9', token: w.tokens.admin },
          expect: [422],
        }),
      ],
    ),
  putMyOrganisation: (w) =>
    fc.oneof(
      familiesOf({
        route: routeById('putMyOrganisation'),
        token: w.tokens.employer,
        json: {
          baseline: { kind: 'employer', name: '株式会社因幡データ', corporateNumber: ORG.employerA, headOffice: PLACE.yonago },
          fields: [
            [['kind'], { kind: 'enum', values: ['employer', 'municipality'] }],
            [['name'], { kind: 'text', max: 200 }],
            [['corporateNumber'], { kind: 'corporate' }],
            [['headOffice'], { kind: 'municipality' }],
          ],
          required: [['kind'], ['name'], ['corporateNumber'], ['headOffice']],
        },
      }),
      familiesOf({
        route: routeById('putMyOrganisation'),
        token: w.tokens.municipality,
        json: {
          baseline: { kind: 'municipality', name: '鳥取市', localGovernmentCode: ORG.municipality },
          fields: [
            [['kind'], { kind: 'enum', values: ['employer', 'municipality'] }],
            [['name'], { kind: 'text', max: 200 }],
            [['localGovernmentCode'], { kind: 'lgcode' }],
          ],
          required: [['kind'], ['name'], ['localGovernmentCode']],
        },
      }),
    ),
  getMyOrganisation: (w) => familiesOf({ route: routeById('getMyOrganisation'), token: w.tokens.municipality }),
  createOpening: (w) =>
    familiesOf({
      route: routeById('createOpening'),
      token: w.tokens.employer,
      json: {
        baseline: openingBody({ title: '敵対的入力の求人', period: { start: addDays(today, 60), end: addDays(today, 400) } }),
        fields: [[['catalogVersion'], { kind: 'catalogVersion' }], ...openingFields()],
        required: [
          'title',
          'description',
          'catalogVersion',
          'roles',
          'required',
          'niceToHave',
          'workStyle',
          'workplace',
          'headcount',
          'period',
          'deadline',
        ].map((k) => [k]),
      },
    }),
  listOpenings: (w) =>
    familiesOf({
      route: routeById('listOpenings'),
      token: w.tokens.admin,
      query: { prefecture: '31' },
      queryFields: {
        prefecture: q.prefecture,
        role: q.slug,
        item: q.slug,
        workStyle: q.status,
        remote: q.bool,
        status: q.status,
        limit: q.limit,
        cursor: q.cursor,
      },
    }),
  listMyOpenings: (w) =>
    familiesOf({
      route: routeById('listMyOpenings'),
      token: w.tokens.employer,
      query: {},
      queryFields: { role: q.slug, item: q.slug, workStyle: q.status, remote: q.bool, status: q.status, limit: q.limit, cursor: q.cursor },
    }),
  getOpening: (w) => familiesOf({ route: routeById('getOpening'), token: w.tokens.admin, params: { openingId: w.openings.employerDraft } }),
  patchOpening: (w) => {
    const { catalogVersion: _fixed, ...patch } = openingBody({ title: '敵対的入力の編集', period: { start: addDays(today, 60), end: addDays(today, 400) } });
    return familiesOf(
      {
        route: routeById('patchOpening'),
        token: w.tokens.employer,
        params: { openingId: w.openings.employerDraft },
        json: { baseline: patch, fields: [...openingFields(), [['status'], { kind: 'enum', values: ['open', 'closed'] }]], required: [] },
      },
      [
        fc.constantFrom<unknown>({}, { status: 'filled' }, { status: 'draft' }, { catalogVersion: '1.2' }, { ownerOrg: ORG.employerB }).map((body) => ({
          what: `patch ${JSON.stringify(body)}`,
          request: {
            method: 'PATCH',
            url: `/v1/openings/${w.openings.employerDraft}`,
            token: w.tokens.employer,
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(body),
          },
          expect: [400],
        })),
      ],
    );
  },
  rankCandidates: (w) =>
    familiesOf({
      route: routeById('rankCandidates'),
      token: w.tokens.center,
      params: { openingId: w.openings.employerOpen },
      queryFields: { includeSelfReported: q.bool, limit: q.limit, cursor: q.cursor },
    }),
  createMatchRun: (w) =>
    familiesOf({
      route: routeById('createMatchRun'),
      token: w.tokens.center,
      json: {
        baseline: { prefecture: '31', dryRun: true, includeSelfReported: false },
        fields: [
          [['prefecture'], { kind: 'prefecture' }],
          [['dryRun'], { kind: 'bool' }],
          [['includeSelfReported'], { kind: 'bool' }],
        ],
        required: [['prefecture']],
      },
    }),
  startNationalRound: (w) =>
    familiesOf({
      route: routeById('startNationalRound'),
      token: w.tokens.admin,
      json: {
        baseline: { dryRun: true, includeSelfReported: false },
        fields: [
          [['dryRun'], { kind: 'bool' }],
          [['includeSelfReported'], { kind: 'bool' }],
        ],
        required: [],
      },
    }),
  // No job needs to exist: every hostile variation must be refused before the lookup, or be a 404.
  getImport: (w) => familiesOf({ route: routeById('getImport'), token: w.tokens.provider, params: { importId: 'imp_0123456789abcdef0123' } }),
  getNationalRound: (w) => familiesOf({ route: routeById('getNationalRound'), token: w.tokens.admin, params: { nationalRunId: w.runs.national } }),
  startRebuild: (w) => familiesOf({ route: routeById('startRebuild'), token: w.tokens.admin }),
  getRebuild: (w) => familiesOf({ route: routeById('getRebuild'), token: w.tokens.admin, params: { rebuildId: w.rebuildId } }),
  getMatchRun: (w) => familiesOf({ route: routeById('getMatchRun'), token: w.tokens.center, params: { runId: w.runs.published31 } }),
  listMatchRunProposals: (w) =>
    familiesOf({
      route: routeById('listMatchRunProposals'),
      token: w.tokens.center,
      params: { runId: w.runs.published31 },
      queryFields: { limit: q.limit, cursor: q.cursor },
    }),
  publishMatchRun: (w) => familiesOf({ route: routeById('publishMatchRun'), token: w.tokens.center, params: { runId: w.runs.unpublished31 } }),
  // Matching cycles: no cycle needs to exist; a variation that gets past validation is a 404 (or 403), writing nothing.
  createMatchCycle: (w) =>
    familiesOf({
      route: routeById('createMatchCycle'),
      token: w.tokens.center,
      json: {
        baseline: { prefecture: '31', openings: [w.openings.employerOpen], window: { from: '2026-04-01T09:00:00+09:00', to: '2099-04-01T09:00:00+09:00' } },
        fields: [
          [['prefecture'], { kind: 'prefecture' }],
          [['openings'], { kind: 'list', min: 1 }],
          [['window'], { kind: 'object', knownKeys: ['from', 'to'] }],
          [['window', 'from'], { kind: 'date' }],
          [['window', 'to'], { kind: 'date' }],
        ],
        required: [['window'], ['window', 'from'], ['window', 'to']],
      },
    }),
  listMatchCycles: (w) =>
    familiesOf({
      route: routeById('listMatchCycles'),
      token: w.tokens.admin,
      query: {},
      queryFields: { prefecture: q.prefecture, state: q.status, limit: q.limit, cursor: q.cursor },
    }),
  getMatchCycle: (w) => familiesOf({ route: routeById('getMatchCycle'), token: w.tokens.center, params: { cycleId: NO_CYCLE } }),
  listMatchCycleOpenings: (w) => familiesOf({ route: routeById('listMatchCycleOpenings'), token: w.tokens.employer, params: { cycleId: NO_CYCLE } }),
  putMyRankList: (w) =>
    familiesOf({
      route: routeById('putMyRankList'),
      token: w.tokens.learner,
      params: { cycleId: NO_CYCLE },
      json: { baseline: { openings: [w.openings.employerOpen] }, fields: [[['openings'], { kind: 'list' }]], required: [['openings']] },
    }),
  putOpeningRankList: (w) =>
    familiesOf({
      route: routeById('putOpeningRankList'),
      token: w.tokens.employer,
      params: { cycleId: NO_CYCLE, openingId: w.openings.employerOpen },
      json: { baseline: { candidates: ['cand_0123456789abcdef'] }, fields: [[['candidates'], { kind: 'list' }]], required: [['candidates']] },
    }),
  runMatchCycle: (w) => familiesOf({ route: routeById('runMatchCycle'), token: w.tokens.center, params: { cycleId: NO_CYCLE } }),
  listMyProposals: (w) => familiesOf({ route: routeById('listMyProposals'), token: w.tokens.learner, queryFields: { limit: q.limit, cursor: q.cursor } }),
  getProposal: (w) => familiesOf({ route: routeById('getProposal'), token: w.tokens.learner, params: { proposalId: w.proposals.learnerOwn.proposalId } }),
  decideProposal: (w) =>
    familiesOf({
      route: routeById('decideProposal'),
      token: w.tokens.learner,
      params: { proposalId: w.proposals.learnerOwn.proposalId },
      json: { baseline: { decision: 'decline' }, fields: [[['decision'], { kind: 'enum', values: ['accept', 'decline'] }]], required: [['decision']] },
    }),
  endPlacement: (w) =>
    familiesOf({
      route: routeById('endPlacement'),
      token: w.tokens.employer,
      params: { proposalId: w.proposals.employerOwn.proposalId },
      json: { baseline: { endedOn: today }, fields: [[['endedOn'], { kind: 'date' }]], required: [['endedOn']] },
    }),
  patchCourse: (w) =>
    familiesOf({
      route: routeById('patchCourse'),
      token: w.tokens.provider,
      params: { courseId: w.courses.own },
      json: {
        baseline: { title: '敵対的入力の編集', hours: 10 },
        fields: [
          [['title'], { kind: 'text', max: 200 }],
          [['delivery'], { kind: 'enum', values: ['online', 'in-person', 'blended', 'self-paced'] }],
          [['hours'], { kind: 'number', min: 0, max: 2000 }],
          [['literacyItems'], { kind: 'list', max: 100 }],
          [['literacyItems', 0], { kind: 'object' }],
          [['literacyItems', 0, 'item'], { kind: 'slug' }],
          [['literacyItems', 0, 'level'], { kind: 'enum', values: levels }],
          [['skills'], { kind: 'list', max: 100 }],
          [['skills', 0, 'skill'], { kind: 'slug' }],
          [['skills', 0, 'level'], { kind: 'enum', values: levels }],
          [['certification'], { kind: 'bool' }],
          [['url'], { kind: 'url' }],
        ],
        required: [],
      },
    }),
  requestAccreditation: (w) =>
    familiesOf({
      route: routeById('requestAccreditation'),
      token: w.tokens.provider,
      params: { courseId: w.courses.own },
      json: {
        baseline: { scheme: 'ipa-exam', validFrom: '2024-04-01', validTo: '2027-03-31' },
        fields: [
          [['scheme'], { kind: 'slug' }],
          [['validFrom'], { kind: 'date' }],
          [['validTo'], { kind: 'date' }],
        ],
        required: [['scheme'], ['validFrom']],
      },
    }),
  listAccreditationRequests: (w) =>
    familiesOf({
      route: routeById('listAccreditationRequests'),
      token: w.tokens.admin,
      queryFields: { status: q.status, limit: q.limit, cursor: q.cursor },
    }),
  decideAccreditation: (w) =>
    familiesOf({
      route: routeById('decideAccreditation'),
      token: w.tokens.admin,
      params: { requestId: 'acr_00000000000000000000' },
      json: {
        baseline: { decision: 'reject', reason: '敵対的入力', validFrom: '2024-04-01', validTo: '2027-03-31' },
        fields: [
          [['decision'], { kind: 'enum', values: ['approve', 'reject'] }],
          [['reason'], { kind: 'text', max: 1000 }],
          [['validFrom'], { kind: 'date' }],
          [['validTo'], { kind: 'date' }],
        ],
        required: [['decision'], ['reason']],
      },
    }),
  installCountingRule: (w) =>
    familiesOf({
      route: routeById('installCountingRule'),
      token: w.tokens.admin,
      json: {
        // The shipped current rule: installed already, so any change the schema lets through is a 409.
        baseline: { rule: currentCountingRule, makeCurrent: false },
        fields: [
          [['rule'], { kind: 'object' }],
          [['rule', 'version'], { kind: 'catalogVersion' }],
          [['rule', 'label'], { kind: 'string' }],
          [['rule', 'provisional'], { kind: 'bool' }],
          [['rule', 'evidence'], { kind: 'enum', values: ['verified', 'any'] }],
          [['rule', 'accreditedEvidenceOnly'], { kind: 'bool' }],
          [['rule', 'anyOf'], { kind: 'list', max: 20, min: 1 }],
          [['rule', 'anyOf', 0], { kind: 'object' }],
          [['makeCurrent'], { kind: 'bool' }],
        ],
        required: [['rule']],
      },
    }),
  listProgressRevisions: (w) =>
    familiesOf({ route: routeById('listProgressRevisions'), token: w.tokens.admin, queryFields: { rule: q.rule, limit: q.limit, cursor: q.cursor } }),
  getPlacementsReport: (w) =>
    familiesOf({
      route: routeById('getPlacementsReport'),
      token: w.tokens.admin,
      queryFields: { fiscalYear: q.placementsYear, prefecture: q.prefecture, format: q.format },
    }),
  getCredentialKeys: () => familiesOf({ route: routeById('getCredentialKeys') }),
  getCredentialIssuer: () => familiesOf({ route: routeById('getCredentialIssuer') }),
  getCredentialStatusList: () => familiesOf({ route: routeById('getCredentialStatusList'), params: { list: '1' }, segments: { list: hostileSegment('1') } }),
  verifyCredential: () =>
    familiesOf({
      route: routeById('verifyCredential'),
      json: { baseline: { credential: 'e30.e30.c2ln' }, fields: [[['credential'], { kind: 'nonEmpty' }]], required: [['credential']] },
    }),
  listMyCredentials: (w) => familiesOf({ route: routeById('listMyCredentials'), token: w.tokens.learner }),
  createXapiClient: (w) => familiesOf({ route: routeById('createXapiClient'), token: w.tokens.provider }),
  mapXapiAccount: (w) =>
    familiesOf({
      route: routeById('mapXapiAccount'),
      token: w.tokens.provider,
      json: {
        baseline: { accountName: 'sec-lms-hostile', learnerId: LEARNER.own },
        fields: [
          [['accountName'], { kind: 'text', max: 256, min: 1 }],
          [['learnerId'], { kind: 'learnerId' }],
        ],
        required: [['accountName'], ['learnerId']],
      },
    }),
  registerXapiActivity: (w) =>
    familiesOf({
      route: routeById('registerXapiActivity'),
      token: w.tokens.provider,
      params: { courseId: w.courses.own },
      json: { baseline: { activityId: 'https://lms.example.jp/hostile' }, fields: [[['activityId'], { kind: 'nonEmpty' }]], required: [['activityId']] },
    }),
  getXapiAbout: () => familiesOf({ route: routeById('getXapiAbout') }),
  postXapiStatements: () =>
    familiesOf({
      route: routeById('postXapiStatements'),
      headers: lrsHeaders,
      json: {
        baseline: xapiStatement,
        fields: [
          [['id'], { kind: 'nonEmpty' }],
          [['actor'], { kind: 'object' }],
          [['actor', 'account'], { kind: 'object' }],
          [['actor', 'account', 'homePage'], { kind: 'nonEmpty' }],
          [['actor', 'account', 'name'], { kind: 'text', max: 256 }],
          [['verb'], { kind: 'object' }],
          [['verb', 'id'], { kind: 'nonEmpty' }],
          [['object'], { kind: 'object' }],
          [['object', 'id'], { kind: 'nonEmpty' }],
          [['timestamp'], { kind: 'date' }],
          [['result', 'completion'], { kind: 'bool' }],
        ],
        required: [['actor'], ['verb'], ['object'], ['verb', 'id'], ['object', 'id']],
        batch: true,
      },
    }),
  putXapiStatement: () =>
    familiesOf({
      route: routeById('putXapiStatement'),
      headers: lrsHeaders,
      query: { statementId: xapiStatement.id },
      queryFields: { statementId: q.uuid },
      json: {
        baseline: xapiStatement,
        fields: [
          [['verb'], { kind: 'object' }],
          [['verb', 'id'], { kind: 'nonEmpty' }],
        ],
        required: [['actor'], ['verb'], ['object']],
      },
    }),
  getXapiStatements: () => familiesOf({ route: routeById('getXapiStatements'), headers: lrsHeaders, queryFields: { statementId: q.uuid, limit: q.limit } }),
  saveTrustedIssuer: (w) =>
    familiesOf({
      route: routeById('saveTrustedIssuer'),
      token: w.tokens.admin,
      json: {
        baseline: {
          issuerId: 'https://badges.example.jp/hostile',
          name: '敵対的入力の発行機関',
          jwksUrl: 'https://badges.example.jp/hostile/jwks.json',
          achievements: [{ achievementId: 'https://badges.example.jp/hostile/a', courseId: w.courses.own }],
        },
        fields: [
          [['issuerId'], { kind: 'nonEmpty' }],
          [['name'], { kind: 'text', max: 200 }],
          [['jwksUrl'], { kind: 'url' }],
          [['statusListPrefix'], { kind: 'url' }],
          [['achievements'], { kind: 'list', max: 500, min: 1 }],
          [['achievements', 0], { kind: 'object' }],
          [['achievements', 0, 'achievementId'], { kind: 'nonEmpty' }],
          [['achievements', 0, 'courseId'], { kind: 'courseId' }],
        ],
        required: [['issuerId'], ['name'], ['achievements'], ['achievements', 0, 'courseId']],
      },
    }),
  listTrustedIssuers: (w) => familiesOf({ route: routeById('listTrustedIssuers'), token: w.tokens.admin }),
  receiveCredential: (w) =>
    familiesOf({
      route: routeById('receiveCredential'),
      token: w.tokens.learner,
      json: { baseline: { credential: 'e30.e30.c2ln' }, fields: [[['credential'], { kind: 'nonEmpty' }]], required: [['credential']] },
    }),
  issueMyCredential: (w) =>
    familiesOf({
      route: routeById('issueMyCredential'),
      token: w.tokens.learner,
      json: { baseline: { achievement: 'qualified:2026.2' }, fields: [[['achievement'], { kind: 'nonEmpty' }]], required: [['achievement']] },
    }),
};

// ---------------------------------------------------------------------------------------
// Writes a refused request may leave

/**
 * The one write a refused request may leave: an AUDIT# entry recording that the caller,
 * whose authorization had passed, read ("read-…") a learner's data, on a GET route. The
 * audit is written by the authorization step (shared/domain/learner-access.ts) before the
 * rest of the request (e.g. the cursor) is checked, so a read that is then refused with
 * 422 still leaves "admin read learner X's completions" in X's access log. It holds ids
 * only and records an access attempt by an authorized caller, which an access log should
 * show; nothing the hostile input controls is stored. Everything else must be identical.
 */
function allowedWrites(diff: SnapshotDiff, route: RouteSpec, callerSub: string | undefined): SnapshotDiff {
  const allowed = (item: any) =>
    route.method === 'GET' &&
    !!callerSub &&
    typeof item.pk === 'string' &&
    item.pk.startsWith('AUDIT#') &&
    typeof item.action === 'string' &&
    item.action.startsWith('read-') &&
    item.actor?.sub === callerSub;
  return { ...diff, added: diff.added.filter((entry) => !allowed(entry.item)) };
}

const subOf = (token: string | undefined) => (token ? (JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()).sub as string) : undefined);

async function check(h: Hostile) {
  const res = await send(h.request);
  const context = `${h.what}\n${describeRequest(h.request)}`;
  expect(res.status, `${context}\n-> ${res.status} ${res.text.slice(0, 300)}`).toBeGreaterThanOrEqual(400);
  expect(res.status, `${context}\n-> ${res.status} ${res.text.slice(0, 300)}`).toBeLessThan(500);
  if (h.expect) expect(h.expect, `${context}\n-> ${res.status} ${res.text.slice(0, 300)}`).toContain(res.status);
  expectProblem(res, context);
  if (h.type) expect(res.json.type, context).toBe(h.type);
  return res;
}

// ---------------------------------------------------------------------------------------

/** fast-check prints counterexamples with this: the case without its token (the log scan forbids tokens). */
const printable = (h: Hostile): Hostile => Object.assign(h, { [fc.toStringMethod]: () => `${h.what} | ${describeRequest(h.request)}` });

describe('generators', () => {
  it('exist for exactly the routes of the route table', () => {
    const ids = routeList.map((r) => r.id);
    expect(
      ids.filter((id) => !generators[id as RouteId]),
      'routes without a hostile-input generator',
    ).toEqual([]);
    expect(
      Object.keys(generators).filter((id) => !ids.includes(id)),
      'generators for routes that do not exist',
    ).toEqual([]);
  });
});

describe('hostile input: every answer a 4xx problem, nothing written', () => {
  for (const route of routeList) {
    it(`${route.method} ${route.path} (${route.id})`, async () => {
      const generator = generators[route.id as RouteId];
      expect(generator, `no hostile-input generator for ${route.id}`).toBeDefined();
      const arbitrary = generator!(w).map(printable);
      const before = await snapshotTable();
      const callers = new Set<string | undefined>();
      await fc.assert(
        fc.asyncProperty(arbitrary, async (h) => {
          callers.add(subOf(h.request.token));
          await check(h);
        }),
        { numRuns: NUM_RUNS },
      );
      const diff = [...callers].reduce((d, sub) => allowedWrites(d, route, sub), diffSnapshots(before, await snapshotTable()));
      expect(isEmptyDiff(diff), `${route.id}: the hostile batch changed the table: ${describeDiff(diff)}`).toBe(true);
    }, 180_000);
  }
});

describe('page sizes over the cap', () => {
  /** Route, path and query of a valid request without a limit, and its token. */
  const paged: [RouteId, () => string, string, () => string | undefined, (() => Record<string, string>)?][] = [
    ['listCourses', () => '/v1/courses', `provider=${PROVIDER.own}&`, () => undefined],
    ['listCompletions', () => `/v1/learners/${LEARNER.own}/completions`, '', () => w.tokens.learner],
    ['listOpenings', () => '/v1/openings', 'prefecture=31&', () => undefined],
    ['listMyOpenings', () => '/v1/organisations/me/openings', '', () => w.tokens.employer],
    ['rankCandidates', () => `/v1/openings/${w.openings.employerOpen}/candidates`, '', () => w.tokens.center],
    ['listMatchRunProposals', () => `/v1/match-runs/${w.runs.published31}/proposals`, '', () => w.tokens.center],
    ['listMatchCycles', () => '/v1/match-cycles', '', () => w.tokens.admin],
    ['listMyProposals', () => '/v1/proposals', '', () => w.tokens.learner],
    ['listProgressRevisions', () => '/v1/progress/revisions', '', () => w.tokens.admin],
    ['listAccreditationRequests', () => '/v1/accreditation-requests', '', () => w.tokens.admin],
    // An xAPI client authenticates with its key and secret (HTTP Basic), not a token.
    ['getXapiStatements', () => '/xapi/statements', '', () => undefined, () => lrsHeaders],
  ];
  it('covers every route with a limit', () => {
    const withLimit = routeList.filter((r) => r.query && 'shape' in r.query && 'limit' in (r.query as unknown as { shape: object }).shape).map((r) => r.id);
    expect(withLimit.length).toBeGreaterThan(0);
    expect(paged.map(([id]) => id).sort()).toEqual(withLimit.sort());
  });
  for (const [id, path, query, token, headers] of paged) {
    it(`${id}: limit 100 is served, 101 and above are 400`, async () => {
      const ok = await send({ method: 'GET', url: `${path()}?${query}limit=100`, token: token(), ...(headers ? { headers: headers() } : {}) });
      expect(ok.status, ok.text).toBe(200);
      const before = await snapshotTable();
      for (const limit of ['101', '1000', '4294967296']) {
        const res = await send({ method: 'GET', url: `${path()}?${query}limit=${limit}`, token: token(), ...(headers ? { headers: headers() } : {}) });
        expect(res.status, res.text).toBe(400);
        expectProblem(res, `${id} limit=${limit}`);
        expect(res.json.errors).toContainEqual(expect.objectContaining({ in: 'query', field: 'limit' }));
      }
      const diff = diffSnapshots(before, await snapshotTable());
      expect(isEmptyDiff(diff), describeDiff(diff)).toBe(true);
    });
  }
});

describe('bulk CSV rows that are all invalid: 200, every row refused, nothing written', () => {
  it('refuses each row and stores nothing', async () => {
    const header = ['learner_id', 'course_id', 'completed_on', 'certificate_number', 'evidence_url'];
    const rowArb = fc.oneof(
      fc.constantFrom('', '-x', 'a b', 'ａ', 'x'.repeat(129), 'a#b', 'a\u0000').map((learner) => [learner, w.courses.own, '2025-07-03', '', '']),
      fc
        .constantFrom('crs_', `crs_${'A'.repeat(20)}`, 'opn_00000000000000000000', fullWidth('crs_00000000000000000000'))
        .map((course) => [LEARNER.own, course, '2025-07-03', '', '']),
      fc
        // A CSV also takes a date as Excel re-saves it (2025/06/01, 2025/6/1): only impossible ones are refused there.
        .constantFrom(
          ...invalidDates.filter((d) => d !== '' && d !== '2025/06/01'),
          '2025/2/30',
          '2025/13/1',
          '2025/6/1/1',
          '2099-01-01',
          '1979-12-31',
          addDays(today, 1),
        )
        .map((date) => [LEARNER.own, w.courses.own, date, '', '']),
      fc.constant([LEARNER.own, w.courses.other, '2025-07-03', '', '']), // another provider's course
      fc.nat({ max: 1_000_000 }).map((n) => [`sec-ghost-${n}`, w.courses.own, '2025-07-03', '', '']), // no such learner
      fc.constant([LEARNER.own, 'crs_00000000000000000000', '2025-07-03', '', '']), // no such course
      fc.constantFrom('javascript:alert(1)', 'ftp://example.jp', 'https://').map((url) => [LEARNER.own, w.courses.own, '2025-07-03', '', url]),
      fc.constantFrom('C\u0000', 'x'.repeat(65), 'C\u007f').map((cert) => [LEARNER.own, w.courses.own, '2025-07-03', cert, '']),
      fc.constant([LEARNER.own, w.courses.own]), // too few cells
      fc.constant([LEARNER.own, w.courses.own, '2025-07-03', '', '', 'extra']), // too many cells
    );
    const before = await snapshotTable();
    await fc.assert(
      fc.asyncProperty(fc.array(rowArb, { minLength: 1, maxLength: 20 }), async (rows) => {
        const text = [csvLine(header), ...rows.map(csvLine)].join('\r\n');
        const res = await send({
          method: 'POST',
          url: '/v1/completions/import',
          token: w.tokens.provider,
          headers: { 'content-type': 'text/csv' },
          body: text,
        });
        expect(res.status, res.text).toBe(200);
        expect(res.json).toMatchObject({ rows: rows.length, stored: 0, verified: 0, unchanged: 0 });
        expect(res.json.rejected.map((r: { row: number }) => r.row)).toEqual(rows.map((_, i) => i + 2));
      }),
      { numRuns: NUM_RUNS },
    );
    const diff = diffSnapshots(before, await snapshotTable());
    expect(isEmptyDiff(diff), describeDiff(diff)).toBe(true);
  }, 120_000);
});

// ---------------------------------------------------------------------------------------
// Inputs that need particular care

describe('a prefecture field holding an object with a "toString" member', () => {
  const cases: [string, () => RawRequest][] = [
    [
      'PUT /v1/learners/me workPrefectures[0]',
      () => ({
        method: 'PUT',
        url: '/v1/learners/me',
        token: w.tokens.learner,
        json: {
          residence: { municipality: PLACE.tottoriCity },
          workPrefectures: [{ toString: 1 }],
          workStyles: ['full-time'],
          turn: { intent: 'none' },
          matchingConsent: true,
        },
      }),
    ],
    [
      'PUT /v1/learners/me residence.prefecture',
      () => ({
        method: 'PUT',
        url: '/v1/learners/me',
        token: w.tokens.learner,
        json: {
          residence: { municipality: PLACE.tottoriCity, prefecture: { toString: 1 } },
          workPrefectures: ['31'],
          workStyles: ['full-time'],
          turn: { intent: 'none' },
          matchingConsent: true,
        },
      }),
    ],
    [
      'PUT /v1/learners/me turn.hometownPrefecture',
      () => ({
        method: 'PUT',
        url: '/v1/learners/me',
        token: w.tokens.learner,
        json: {
          residence: { municipality: PLACE.tottoriCity },
          workPrefectures: ['31'],
          workStyles: ['full-time'],
          turn: { intent: 'u-turn', hometownPrefecture: [{ toString: 'x' }] },
          matchingConsent: true,
        },
      }),
    ],
    [
      'POST /v1/match-runs prefecture',
      () => ({ method: 'POST', url: '/v1/match-runs', token: w.tokens.center, json: { prefecture: { toString: 1 }, dryRun: true } }),
    ],
  ];
  for (const [name, request] of cases) {
    it(`${name}: 400 validation-failed`, async () => {
      await check({ what: name, request: request(), expect: [400], type: problemType('validation-failed') });
    });
    it(`${name}: writes nothing`, async () => {
      const before = await snapshotTable();
      await send(request());
      const diff = diffSnapshots(before, await snapshotTable());
      expect(isEmptyDiff(diff), describeDiff(diff)).toBe(true);
    });
  }
});

describe("a cursor of the list's own partition with a bad sort key", () => {
  const cursor = (key: Record<string, string>) => Buffer.from(JSON.stringify(key)).toString('base64url');
  const cases: [string, () => { url: string; token?: string }][] = [
    [
      'GET /v1/learners/{id}/completions',
      () => ({ url: `/v1/learners/${LEARNER.own}/completions?cursor=${cursor({ pk: `LEARNER#${LEARNER.own}`, sk: '' })}`, token: w.tokens.learner }),
    ],
    [
      'GET /v1/learners/{id}/completions (out of range)',
      () => ({ url: `/v1/learners/${LEARNER.own}/completions?cursor=${cursor({ pk: `LEARNER#${LEARNER.own}`, sk: 'ZZZ' })}`, token: w.tokens.learner }),
    ],
    [
      'GET /v1/courses?provider=',
      () => ({ url: `/v1/courses?provider=${PROVIDER.own}&cursor=${cursor({ pk: '', sk: '', gsi1pk: `PROVIDER#${PROVIDER.own}`, gsi1sk: '' })}` }),
    ],
    [
      'GET /v1/openings?prefecture=',
      () => ({ url: `/v1/openings?prefecture=31&cursor=${cursor({ pk: 'x', sk: 'y', gsi1pk: 'OPENINGS#31#open', gsi1sk: '' })}` }),
    ],
    [
      'GET /v1/match-runs/{id}/proposals',
      () => ({
        url: `/v1/match-runs/${w.runs.published31}/proposals?cursor=${cursor({ pk: 'MATCHRUN#run_another#PROPOSALS', sk: '' })}`,
        token: w.tokens.center,
      }),
    ],
    ['GET /v1/proposals', () => ({ url: `/v1/proposals?cursor=${cursor({ pk: `PROPOSALS#LEARNER#${LEARNER.own}`, sk: '' })}`, token: w.tokens.learner })],
  ];
  for (const [name, request] of cases) {
    it(`${name}: 422`, async () => {
      await check({ what: name, request: { method: 'GET', ...request() }, expect: [422] });
    });
  }
  it('writes nothing (learner reading their own completions)', async () => {
    const before = await snapshotTable();
    await send({ method: 'GET', ...cases[0]![1]() });
    const diff = diffSnapshots(before, await snapshotTable());
    expect(isEmptyDiff(diff), describeDiff(diff)).toBe(true);
  });
});

describe('a valid catalog larger than one DynamoDB item', () => {
  const big = () => ({ catalog: { ...w.catalog12, version: 'hostile-big', label: `大きな版 ${'x'.repeat(600_000)}` } });
  it('is refused with a 4xx (413 or 422)', async () => {
    const body = JSON.stringify(big());
    expect(Buffer.byteLength(body)).toBeLessThan(1024 * 1024);
    await check({
      what: 'catalog of ~600 KB',
      request: { method: 'POST', url: '/v1/catalog/versions', token: w.tokens.admin, headers: { 'content-type': 'application/json' }, body },
    });
  });
  it('leaves nothing behind', async () => {
    const before = await snapshotTable();
    await send({ method: 'POST', url: '/v1/catalog/versions', token: w.tokens.admin, json: big() });
    const diff = diffSnapshots(before, await snapshotTable());
    expect(isEmptyDiff(diff), describeDiff(diff)).toBe(true);
    expect((await send({ method: 'GET', url: '/v1/catalog/hostile-big' })).status).toBe(404);
  });
});

describe('hostile Accept headers', () => {
  /** Routes with one representation and with several; a public one and one behind a token. */
  const reads = () => [
    { url: '/v1/catalog', token: undefined, produced: ['application/json'] },
    { url: '/v1/progress', token: undefined, produced: ['application/json', 'text/csv'] },
    { url: `/v1/openings/${w.openings.employerOpen}`, token: undefined, produced: ['application/json', 'application/ld+json'] },
    { url: '/v1/me', token: w.tokens.learner, produced: ['application/json'] },
  ];
  const range = fc.oneof(
    fc.constantFrom(
      '*/*',
      'application/*',
      'text/*',
      'application/json',
      'text/csv',
      'application/ld+json',
      'application/xml',
      'image/png',
      '',
      '/',
      '*',
      ';;',
    ),
    fc.string({ maxLength: 40 }),
  );
  const param = fc.oneof(
    fc.constantFrom(';q=0', ';q=1', ';q=0.5', ';q=1.5', ';q=-1', ';q=abc', ';q=', ';level=1', ''),
    fc.string({ maxLength: 12 }).map((s) => `;${s}`),
  );
  const accept = fc
    .array(
      fc.tuple(range, param).map(([r, p]) => `${r}${p}`),
      { maxLength: 6 },
    )
    .map((parts) => parts.join(','));

  it('answers one of the declared representations or 406, never 5xx, and writes nothing', async () => {
    const before = await snapshotTable();
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...reads()), accept, async (read, value) => {
        const res = await send({ method: 'GET', url: read.url, token: read.token, headers: { accept: value } });
        const context = `GET ${read.url} [accept: ${JSON.stringify(value)}] -> ${res.status} ${res.text.slice(0, 200)}`;
        expect([200, 406], context).toContain(res.status);
        if (res.status === 406) {
          expectProblem(res, context);
          expect(res.json.type, context).toBe('urn:kanryu:problem:not-acceptable');
        } else {
          expect(read.produced, context).toContain(res.headers['content-type']!.split(';')[0]);
        }
      }),
      { numRuns: NUM_RUNS },
    );
    const diff = diffSnapshots(before, await snapshotTable());
    expect(isEmptyDiff(diff), describeDiff(diff)).toBe(true);
  });
});
