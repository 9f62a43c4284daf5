import { describe, expect, it } from 'vitest';
import { bodyFieldErrors } from '../../shared/errors';
import { buildOpenApi } from '../../shared/http/openapi';
import { problemResponse } from '../../shared/http/problem';
import { routeList } from '../../shared/http/routes';
import { contractViolation } from '../support/contract';

/**
 * The check every API test answer goes through (test/support/api.ts `call`): what it lets
 * pass and what it refuses, so that "the tests pass" means "the answers match the document".
 */
const json = (status: number, body: unknown, contentType = 'application/json', headers: Record<string, string> = {}) => ({
  status,
  headers: { 'content-type': contentType, ...headers },
  text: JSON.stringify(body),
});
// The edge tags every GET 200 (shared/http/edge.ts): the document requires the tag.
const tagged = { etag: '"abc"' };
const problem = (status: number, body: Record<string, unknown> = {}) =>
  json(status, { type: 'urn:kanryu:problem:x', title: 'A title', status, detail: 'What went wrong', ...body }, 'application/problem+json');

describe('the answers the tests receive are checked against /openapi.json', () => {
  it('lets a declared answer pass', () => {
    expect(contractViolation('GET', '/health', json(200, { status: 'ok' }, 'application/json', tagged))).toBeUndefined();
    expect(contractViolation('GET', '/v1/me', problem(401))).toBeUndefined();
  });

  it('refuses an undeclared status, naming the method, path and status', () => {
    const violation = contractViolation('GET', '/health', json(418, { status: 'ok' }, 'application/json', tagged));
    expect(violation).toMatch(/^GET \/health -> 418: status 418 is not declared for GET \/health/);
  });

  it('refuses an empty body where the document declares one', () => {
    expect(contractViolation('GET', '/health', { status: 200, headers: tagged, text: '' })).toMatch(/no body, but GET \/health declares application\/json/);
  });

  it('refuses an undeclared media type', () => {
    expect(contractViolation('GET', '/health', { status: 200, headers: { ...tagged, 'content-type': 'text/plain' }, text: 'ok' })).toMatch(
      /media type text\/plain is not declared/,
    );
  });

  it('refuses a member the strict schema does not name, and says where', () => {
    expect(contractViolation('GET', '/health', json(200, { status: 'ok', uptime: 1 }, 'application/json', tagged))).toMatch(
      /must NOT have additional properties.*uptime/,
    );
  });

  it('refuses a problem whose errors are not field errors, or with an undeclared extension member', () => {
    expect(contractViolation('GET', '/v1/me', problem(401, { errors: ['skills[0]: not a skill'] }))).toMatch(/\/errors\/0 must be object/);
    expect(contractViolation('GET', '/v1/me', problem(401, { fields: ['title'] }))).toMatch(/additional properties/);
  });

  it('matches a path with a dot segment as written, as the router does', () => {
    expect(contractViolation('POST', '/v1/courses/../accreditation-requests', problem(400))).toBeUndefined();
    expect(contractViolation('POST', '/v1/courses/%2E%2E/accreditation-requests', problem(400))).toBeUndefined();
  });

  it('checks HEAD answers for their status and for having no body', () => {
    expect(contractViolation('HEAD', '/health', { status: 200, headers: tagged, text: '' })).toBeUndefined();
    expect(contractViolation('HEAD', '/health', { status: 200, headers: tagged, text: '{}' })).toMatch(/a HEAD answer carries no body/);
  });

  it("checks the router's own answers (no route, method not served) against the problem schema", () => {
    const noRoute = problemResponse('not-found', 'No route', '/nowhere');
    expect(contractViolation('GET', '/nowhere', { status: noRoute.statusCode, headers: noRoute.headers, text: noRoute.body })).toBeUndefined();
    const method = problemResponse('method-not-allowed', 'Not served', '/health', {}, { allow: 'GET, HEAD' });
    expect(contractViolation('DELETE', '/health', { status: method.statusCode, headers: method.headers, text: method.body })).toBeUndefined();
    expect(contractViolation('GET', '/nowhere', json(404, { message: 'not found' }))).toMatch(/not problem\+json/);
    const { allow: _allow, ...withoutAllow } = method.headers;
    expect(contractViolation('DELETE', '/health', { status: 405, headers: withoutAllow, text: method.body })).toMatch(/requires the header Allow/);
  });
});

describe('the headers the document requires', () => {
  it('refuses a creation without Location, and a 200 that could have been one', () => {
    expect(contractViolation('POST', '/v1/courses', json(201, {}))).toMatch(/^POST \/v1\/courses -> 201: the document requires the header Location/);
    expect(contractViolation('PUT', '/v1/learners/me', json(200, {}))).toMatch(/requires the header Location/);
    expect(contractViolation('POST', '/v1/completions/import', json(202, {}))).toMatch(/requires the header Location/);
  });

  it('lets the one creation nothing can read back (an xAPI client: the secret is shown once) answer without Location', () => {
    expect(contractViolation('POST', '/v1/xapi/credentials', json(201, {})) ?? '').not.toMatch(/Location/);
  });

  it('refuses a GET 200 or a 304 without its ETag', () => {
    expect(contractViolation('GET', '/health', json(200, { status: 'ok' }))).toMatch(/requires the header ETag/);
    expect(contractViolation('GET', '/health', { status: 304, headers: {}, text: '' })).toMatch(/requires the header ETag/);
    expect(contractViolation('GET', '/health', { status: 304, headers: tagged, text: '' })).toBeUndefined();
  });

  it('refuses an answer of a negotiated or publicly cached route without Vary and Cache-Control', () => {
    const csv = { status: 200, headers: { ...tagged, 'content-type': 'text/csv; charset=utf-8' }, text: 'dimension,key\r\ntotal,1\r\n' };
    const cached = { ...csv, headers: { ...csv.headers, vary: 'accept, accept-language, authorization', 'cache-control': 'public, max-age=20' } };
    expect(contractViolation('GET', '/v1/progress', cached)).toBeUndefined();
    expect(contractViolation('GET', '/v1/progress', csv)).toMatch(/requires the header Vary, Cache-Control/);
    expect(contractViolation('GET', '/v1/progress', problem(406))).toMatch(/requires the header Vary/);
  });

  it('refuses a 503 that does not say when to retry', () => {
    expect(contractViolation('POST', '/v1/courses', problem(503))).toMatch(/requires the header Retry-After/);
    expect(contractViolation('POST', '/v1/courses', { ...problem(503), headers: { ...problem(503).headers, 'retry-after': '1' } })).toBeUndefined();
  });

  it('finds a header whatever its case', () => {
    expect(contractViolation('GET', '/health', json(200, { status: 'ok' }, 'application/json', { ETag: '"abc"' }))).toBeUndefined();
  });
});

describe('bodies that are not JSON', () => {
  const progressAnswer = (contentType: string, body: { text: string; bytes?: Buffer }) => ({
    status: 200,
    headers: { ...tagged, 'content-type': contentType, vary: 'accept', 'cache-control': 'public, max-age=20' },
    ...body,
  });

  it('refuses a CSV that is empty, has no header row, or breaks its quoting', () => {
    const csv = (text: string) => contractViolation('GET', '/v1/progress', progressAnswer('text/csv; charset=utf-8', { text }));
    expect(csv('\uFEFFdimension,key,"name, ja"\r\n"total","a ""quoted"" word"\r\n')).toBeUndefined();
    expect(csv('\uFEFF \r\n')).toMatch(/the CSV is empty/);
    expect(csv(',,\r\n1,2,3\r\n')).toMatch(/no header row/);
    expect(csv('dimension,key\r\ntotal,"open\r\n')).toMatch(/never closed/);
    expect(csv('dimension,key\r\nto"tal,1\r\n')).toMatch(/quote inside an unquoted field/);
    expect(csv('dimension,key\r\n"total"x,1\r\n')).toMatch(/text after a closing quote/);
  });

  it('refuses a workbook whose bytes are not a zip archive', () => {
    const xlsx = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
    const zip = Buffer.from([0x50, 0x4b, 0x03, 0x04, 0xff, 0x00]);
    expect(contractViolation('GET', '/v1/progress', progressAnswer(xlsx, { text: zip.toString('utf8'), bytes: zip }))).toBeUndefined();
    expect(contractViolation('GET', '/v1/progress', progressAnswer(xlsx, { text: 'dimension,key' }))).toMatch(/does not start with the zip signature/);
  });
});

describe('one errors shape', () => {
  it('turns the domain\'s "field: what is wrong" lines into field errors of the body', () => {
    expect(bodyFieldErrors(['skills[0]: "x" is not a DSS-P skill', 'a course covers at least one literacy item or skill'])).toEqual([
      { in: 'body', field: 'skills[0]', message: '"x" is not a DSS-P skill' },
      { in: 'body', field: '', message: 'a course covers at least one literacy item or skill' },
    ]);
  });

  it('places the faults of a checked member under its name in the body', () => {
    expect(bodyFieldErrors(['literacy.items[2]: duplicate id', 'no roles'], 'catalog')).toEqual([
      { in: 'body', field: 'catalog.literacy.items[2]', message: 'duplicate id' },
      { in: 'body', field: 'catalog', message: 'no roles' },
    ]);
  });
});

describe('what the document says of headers and files', () => {
  const document = buildOpenApi(routeList, { version: 'test' }) as unknown as {
    paths: Record<string, Record<string, { parameters: { name: string; schema: { description?: string } }[]; responses: Record<string, any> }>>;
  };
  const answer = (path: string, method: string, status: number) => document.paths[path]![method]!.responses[String(status)];

  it('requires Location on a creation, except the xAPI client nothing can read back, which says why', () => {
    expect(answer('/v1/courses', 'post', 201).headers.Location.required).toBe(true);
    expect(answer('/v1/xapi/credentials', 'post', 201).headers?.Location).toBeUndefined();
    expect(answer('/v1/xapi/credentials', 'post', 201).description).toMatch(/No Location: the secret is shown once/);
  });

  it('declares the workbook as bytes of its media type, the files as attachments, and format over Accept', () => {
    const xlsx = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
    expect(answer('/v1/progress', 'get', 200).content[xlsx].schema).toMatchObject({ type: 'string', contentMediaType: xlsx });
    expect(answer('/v1/progress', 'get', 200).content[xlsx].schema.contentEncoding).toBeUndefined();
    expect(answer('/v1/progress', 'get', 200).headers['Content-Disposition'].required).toBeUndefined();
    expect(answer('/v1/learners/me/export', 'get', 200).headers['Content-Disposition'].required).toBe(true);
    const format = document.paths['/v1/progress']!.get!.parameters.find((p) => p.name === 'format')!;
    expect(format.schema.description).toMatch(/whatever Accept prefers/);
  });
});
