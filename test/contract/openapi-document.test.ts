import { readdirSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { namedModules } from '../../shared/http/openapi-schemas';
import { PREFECTURES } from '../../shared/ids/prefecture';
import { call } from '../support/api';
import { registerEmployer, seedCatalog, openingBody } from '../support/fixtures';

/**
 * What a client reading /openapi.json relies on (issue 13): named schemas it can generate
 * types from, the headers and statuses the server really sends, query members with their
 * real types (and the server accepting them as such), enums in their natural order.
 */
type Operation = { parameters?: { name: string; in: string; schema: Record<string, unknown> }[]; responses: Record<string, any>; requestBody?: any };
let doc: { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, any> } };
const op = (path: string, method: string) => doc.paths[path]![method]!;
const param = (path: string, name: string) => op(path, 'get').parameters!.find((p) => p.name === name)!;

beforeAll(async () => {
  doc = (await call('GET', '/openapi.json')).json;
});

describe('the OpenAPI document', () => {
  it('names the schemas clients share under components/schemas and refers to them', () => {
    expect(op('/v1/courses', 'post').responses['201'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Course' });
    expect(op('/v1/courses/{courseId}', 'get').responses['200'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Course' });
    expect(op('/v1/courses/{courseId}', 'get').responses['404'].content['application/problem+json'].schema).toEqual({ $ref: '#/components/schemas/Problem' });
    // Every reference resolves.
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]!);
    expect(refs.filter((name) => !doc.components.schemas[name])).toEqual([]);
  });

  it('names the exports of every schema module (a new module is added to shared/http/openapi-schemas.ts)', () => {
    const modules = readdirSync(new URL('../../shared/schemas', import.meta.url))
      .filter((file) => file.endsWith('.ts') && file !== 'query.ts')
      .map((file) => file.replace(/\.ts$/, '').replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase()));
    expect(Object.keys(namedModules)).toEqual(expect.arrayContaining(modules));
  });

  it('lists prefecture codes in code order, 01 to 47', () => {
    expect(doc.components.schemas.PrefectureCode.enum).toEqual(PREFECTURES.map((p) => p.code));
    expect(doc.components.schemas.PrefectureCode.enum.slice(0, 2)).toEqual(['01', '02']);
  });

  it('documents the headers the edge sends', () => {
    const created = op('/v1/courses', 'post').responses['201'].headers;
    expect(Object.keys(created)).toEqual(expect.arrayContaining(['Location', 'Idempotent-Replayed']));
    expect(op('/v1/courses/{courseId}', 'get').responses['200'].headers.ETag).toBeDefined();
    expect(op('/v1/courses/{courseId}', 'get').responses['304'].headers.ETag).toBeDefined();
    expect(op('/v1/courses/{courseId}', 'get').responses['503'].headers['Retry-After'].schema.type).toBe('integer');
    expect(op('/v1/progress', 'get').responses['200'].headers.Vary.description).toContain('accept');
    expect(op('/v1/progress', 'get').responses['200'].headers['Cache-Control']).toBeDefined();
    // A natural-key repeat that creates nothing still says where the resource is.
    expect(op('/v1/completions', 'post').responses['200'].headers.Location).toBeDefined();
  });

  it('documents 304, 413, 415 and 422 where the edge can answer them', () => {
    expect(Object.keys(op('/v1/courses/{courseId}', 'get').responses)).toContain('304');
    expect(Object.keys(op('/v1/courses', 'post').responses)).toEqual(expect.arrayContaining(['400', '409', '413', '415', '422']));
    expect(Object.keys(op('/v1/courses', 'get').responses)).toContain('422');
  });

  it('types query members as what they mean: limit an integer from 1 to 100, flags booleans', () => {
    expect(param('/v1/openings', 'limit').schema).toEqual({ type: 'integer', minimum: 1, maximum: 100 });
    expect(param('/v1/openings', 'remote').schema).toEqual({ type: 'boolean' });
    expect(param('/v1/openings/{openingId}/candidates', 'includeSelfReported').schema).toEqual({ type: 'boolean' });
    expect(param('/v1/progress', 'fiscalYear').schema).toMatchObject({ type: 'integer', minimum: 2022 });
  });

  it('carries examples on the main operations', () => {
    expect(op('/v1/courses', 'post').requestBody.content['application/json'].example.title).toBeTruthy();
    expect(op('/v1/match-runs', 'post').responses['202'].content['application/json'].example.status).toBe('computing');
  });
});

describe('query members as the document types them', () => {
  it('accepts limit=20 and remote=true from the query string, and refuses what is not an integer or a boolean', async () => {
    await seedCatalog();
    const employer = await registerEmployer('7123456789012', '因幡データ');
    const remote = await call('POST', '/v1/openings', { token: employer, body: openingBody({ workStyle: 'remote' }) });
    expect(remote.status, remote.text).toBe(201);
    const onSite = await call('POST', '/v1/openings', { token: employer, body: openingBody() });
    expect(onSite.status, onSite.text).toBe(201);
    for (const { json } of [remote, onSite]) {
      expect((await call('PATCH', `/v1/openings/${json.openingId}`, { token: employer, body: { status: 'open' } })).status).toBe(200);
    }

    const remoteOnly = await call('GET', '/v1/openings?prefecture=31&remote=true&limit=20');
    expect(remoteOnly.status, remoteOnly.text).toBe(200);
    const ids = remoteOnly.json.openings.map((o: { openingId: string }) => o.openingId);
    expect(ids).toContain(remote.json.openingId);
    expect(ids).not.toContain(onSite.json.openingId);
    const noneRemote = await call('GET', '/v1/openings?prefecture=31&remote=false');
    expect(noneRemote.json.openings.map((o: { openingId: string }) => o.openingId)).toContain(onSite.json.openingId);

    for (const query of ['remote=yes', 'limit=0', 'limit=101', 'limit=1.5', 'limit=ten']) {
      const refused = await call('GET', `/v1/openings?prefecture=31&${query}`);
      expect(refused.status, query).toBe(400);
      expect(refused.json.errors[0].in, query).toBe('query');
    }
  });
});
