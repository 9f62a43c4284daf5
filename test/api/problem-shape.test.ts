import { beforeAll, describe, expect, it } from 'vitest';
import { call } from '../support/api';
import { courseBody, providerToken, seedCatalog } from '../support/fixtures';

/**
 * One problem shape (issue 13): whoever finds the fault (the schema at the edge, a rule of
 * the domain, the cursor check), a client reads the same `errors` list of
 * { in, field, message }. (Every answer is also validated against the document's strict
 * Problem schema by `call`.)
 */
let provider: string;

beforeAll(async () => {
  await seedCatalog();
  provider = await providerToken('prov-shape');
});

describe('problem documents', () => {
  it('name the field the same way for a schema fault (400) and a domain fault (422)', async () => {
    const schema = await call('POST', '/v1/courses', { token: provider, body: courseBody({ skills: [{ skill: 'data-platform-design', level: 'z' }] }) });
    expect(schema.status).toBe(400);
    expect(schema.json.errors).toContainEqual({ in: 'body', field: 'skills[0].level', message: expect.any(String) });

    const domain = await call('POST', '/v1/courses', { token: provider, body: courseBody({ skills: [{ skill: 'alchemy', level: 'a' }] }) });
    expect(domain.status).toBe(422);
    expect(domain.json.errors).toEqual([{ in: 'body', field: 'skills[0]', message: expect.stringContaining('"alchemy"') }]);
  });

  it('name the cursor as a query field when it is not one this list issued', async () => {
    const res = await call('GET', '/v1/openings?prefecture=31&cursor=not-a-cursor-we-issued');
    expect(res.status).toBe(422);
    expect(res.json.errors).toEqual([{ in: 'query', field: 'cursor', message: expect.any(String) }]);
    expect(res.json).not.toHaveProperty('field');
  });
});
