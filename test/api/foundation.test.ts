import { Validator } from '@seriousme/openapi-schema-validator';
import { beforeAll, describe, expect, it } from 'vitest';
import { seedBundledCatalog } from '../../shared/domain/catalog-seed';
import { call, tokenFor } from '../support/api';

beforeAll(async () => {
  await seedBundledCatalog(new Date());
});

describe('health and identity', () => {
  it('answers health without a token', async () => {
    const res = await call('GET', '/health');
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ status: 'ok' });
  });

  it('refuses /v1/me without a token, with a problem document', async () => {
    const res = await call('GET', '/v1/me');
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toBe('application/problem+json');
    expect(res.headers['www-authenticate']).toBe('Bearer');
    expect(res.json).toMatchObject({ type: 'urn:kanryu:problem:unauthenticated', status: 401 });
  });

  it('refuses a token signed by another key, an expired token and a malformed header', async () => {
    const { createDevKey, signDevToken } = await import('../../infra/local/dev-key');
    const foreign = await signDevToken(await createDevKey(), { sub: 'x', role: 'admin' });
    expect((await call('GET', '/v1/me', { token: foreign })).status).toBe(401);
    const expired = await tokenFor({ sub: 'x', role: 'admin', expiresIn: -60 });
    expect((await call('GET', '/v1/me', { token: expired })).status).toBe(401);
    expect((await call('GET', '/v1/me', { headers: { authorization: 'Basic abc' } })).status).toBe(401);
  });

  it('refuses a center token without a prefecture claim', async () => {
    const token = await tokenFor({ sub: 'c', role: 'center' });
    expect((await call('GET', '/v1/me', { token })).status).toBe(401);
  });

  it('returns the caller as the API sees it', async () => {
    const token = await tokenFor({ sub: 'demo-center', role: 'center', prefecture: '13' });
    const res = await call('GET', '/v1/me', { token });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ sub: 'demo-center', role: 'center', prefecture: '13' });
    expect(res.headers['cache-control']).toBe('no-store');
  });
});

describe('catalog', () => {
  it('lists versions and names the current one', async () => {
    const res = await call('GET', '/v1/catalog');
    expect(res.status).toBe(200);
    expect(res.json.current).toBe('1.2');
    expect(res.json.versions).toContainEqual(
      expect.objectContaining({ version: '1.2', provisional: true, counts: { literacyItems: 23, roles: 15, skills: 49, types: 5 } }),
    );
  });

  it('serves the whole current version with 23 literacy items, 15 roles and 49 skills, marked provisional', async () => {
    const res = await call('GET', '/v1/catalog/1.2');
    expect(res.status).toBe(200);
    const catalog = res.json;
    expect(catalog.provisional).toBe(true);
    expect(catalog.literacy.parts).toHaveLength(4);
    expect(catalog.literacy.items).toHaveLength(23);
    expect(catalog.promotion.types).toHaveLength(5);
    expect(catalog.promotion.roles).toHaveLength(15);
    expect(catalog.promotion.categories).toHaveLength(5);
    expect(catalog.promotion.subcategories).toHaveLength(12);
    expect(catalog.promotion.skills).toHaveLength(49);
    expect(Object.keys(catalog.promotion.importance)).toHaveLength(15);
    expect(Object.keys(catalog.promotion.importance['data-engineer'])).toHaveLength(49);
  });

  it('answers 304 to a matching If-None-Match', async () => {
    const first = await call('GET', '/v1/catalog/1.2');
    expect(first.headers.etag).toMatch(/^"[\w-]+"$/);
    const again = await call('GET', '/v1/catalog/1.2', { headers: { 'if-none-match': first.headers.etag! } });
    expect(again.status).toBe(304);
    expect(again.text).toBe('');
    const stale = await call('GET', '/v1/catalog/1.2', { headers: { 'if-none-match': '"other"' } });
    expect(stale.status).toBe(200);
  });

  it('serves one role with the importance of each skill', async () => {
    const res = await call('GET', '/v1/catalog/1.2/roles/data-engineer');
    expect(res.status).toBe(200);
    expect(res.json.role).toMatchObject({ id: 'data-engineer', typeId: 'data-scientist' });
    expect(res.json.items).toHaveLength(49);
    expect(res.json.provisional).toBe(true);
    const platform = res.json.items.find((i: { skillId: string }) => i.skillId === 'data-platform-design');
    expect(['a', 'b']).toContain(platform.importance);
  });

  it('answers 404 for an unknown version or role and 400 for a malformed one', async () => {
    expect((await call('GET', '/v1/catalog/9.9')).status).toBe(404);
    expect((await call('GET', '/v1/catalog/1.2/roles/astronaut')).status).toBe(404);
    const bad = await call('GET', '/v1/catalog/%20bad%20');
    expect(bad.status).toBe(400);
    expect(bad.json.errors[0]).toMatchObject({ in: 'path', field: 'version' });
  });

  it('installs a version only for admin, idempotently, and refuses different content under the same id', async () => {
    const current = (await call('GET', '/v1/catalog/1.2')).json;
    const next = { ...current, version: '1.2-test', label: 'copy for the test' };
    const body = { catalog: next };
    expect((await call('POST', '/v1/catalog/versions', { body })).status).toBe(401);
    const learner = await tokenFor({ sub: 'l1', role: 'learner' });
    expect((await call('POST', '/v1/catalog/versions', { body, token: learner })).status).toBe(403);
    const admin = await tokenFor({ sub: 'a1', role: 'admin' });
    const created = await call('POST', '/v1/catalog/versions', { body, token: admin });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ version: '1.2-test', provisional: true });
    expect((await call('POST', '/v1/catalog/versions', { body, token: admin })).status).toBe(200);
    const changed = { catalog: { ...next, label: 'different' } };
    expect((await call('POST', '/v1/catalog/versions', { body: changed, token: admin })).status).toBe(409);
    expect((await call('GET', '/v1/catalog')).json.current).toBe('1.2');
  });

  it('refuses an inconsistent catalog with 422 and unknown fields with 400, writing nothing', async () => {
    const admin = await tokenFor({ sub: 'a1', role: 'admin' });
    const current = (await call('GET', '/v1/catalog/1.2')).json;
    const broken = structuredClone(current);
    broken.version = 'broken-1';
    broken.promotion.roles[0].typeId = 'no-such-type';
    const res = await call('POST', '/v1/catalog/versions', { body: { catalog: broken }, token: admin });
    expect(res.status).toBe(422);
    expect(res.json.detail).toContain('no-such-type');
    const extra = await call('POST', '/v1/catalog/versions', { body: { catalog: { ...current, version: 'extra-1' }, surprise: 1 }, token: admin });
    expect(extra.status).toBe(400);
    const versions = (await call('GET', '/v1/catalog')).json.versions.map((v: { version: string }) => v.version);
    expect(versions).not.toContain('broken-1');
    expect(versions).not.toContain('extra-1');
  });
});

describe('edge conventions', () => {
  it('answers unknown routes and methods with problem documents', async () => {
    const missing = await call('GET', '/v1/nothing-here');
    expect(missing.status).toBe(404);
    expect(missing.headers['content-type']).toBe('application/problem+json');
    const method = await call('DELETE', '/v1/catalog');
    expect(method.status).toBe(405);
    expect(method.headers.allow).toBe('GET, HEAD');
  });

  it('refuses malformed JSON, wrong content types and oversized bodies with 4xx', async () => {
    const admin = await tokenFor({ sub: 'a1', role: 'admin' });
    const malformed = await call('POST', '/v1/catalog/versions', { token: admin, raw: { contentType: 'application/json', data: '{"catalog":' } });
    expect(malformed.status).toBe(400);
    expect(malformed.json.type).toBe('urn:kanryu:problem:malformed-body');
    const wrongType = await call('POST', '/v1/catalog/versions', { token: admin, raw: { contentType: 'text/plain', data: '{}' } });
    expect(wrongType.status).toBe(415);
    const huge = await call('POST', '/v1/catalog/versions', { token: admin, raw: { contentType: 'application/json', data: 'x'.repeat(1024 * 1024 + 1) } });
    expect(huge.status).toBe(413);
  });
});

describe('OpenAPI', () => {
  it('is a valid OpenAPI 3.1 document listing every route', async () => {
    const res = await call('GET', '/openapi.json');
    expect(res.status).toBe(200);
    const validator = new Validator();
    const result = await validator.validate(res.json);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
    expect(res.json.paths['/v1/catalog/{version}'].get.operationId).toBe('getCatalog');
    expect(res.json.paths['/v1/me'].get.security).toEqual([{ bearer: [] }]);
  });
});
