import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { CORS } from '../../shared/http/cors';
import { negotiate, negotiateLanguage } from '../../shared/http/middleware/negotiate';
import { routeList } from '../../shared/http/routes';
import { type CallResult, call, tokenFor } from '../support/api';
import {
  adminToken,
  centerToken,
  courseBody,
  createLearner,
  learnerToken,
  openingBody,
  profileBody,
  providerToken,
  registerCourse,
  registerEmployer,
  seedCatalog,
} from '../support/fixtures';

let provider: string;

beforeAll(async () => {
  await seedCatalog();
  provider = await providerToken('prov-http');
}, 60_000);

describe('HTTP rules: pages end where the list ends', () => {
  it('gives no cursor on a full last page, and exact pages up to it', async () => {
    const own = await providerToken('prov-pages');
    for (let i = 0; i < 4; i++) await registerCourse(own, { title: `ページ講座 ${i}` }, { accredit: false });
    const whole = await call('GET', '/v1/courses?provider=prov-pages&limit=4');
    expect(whole.status, whole.text).toBe(200);
    expect(whole.json.courses).toHaveLength(4);
    expect(whole.json.cursor).toBeUndefined();

    const first = await call('GET', '/v1/courses?provider=prov-pages&limit=2');
    expect(first.json.courses).toHaveLength(2);
    expect(typeof first.json.cursor).toBe('string');
    const second = await call('GET', `/v1/courses?provider=prov-pages&limit=2&cursor=${encodeURIComponent(first.json.cursor)}`);
    expect(second.status, second.text).toBe(200);
    expect(second.json.courses).toHaveLength(2);
    expect(second.json.cursor).toBeUndefined();
    const ids = [...first.json.courses, ...second.json.courses].map((c: { courseId: string }) => c.courseId);
    expect(new Set(ids)).toEqual(new Set(whole.json.courses.map((c: { courseId: string }) => c.courseId)));
  });
});

describe('HTTP rules: no page counts its list', () => {
  it('declares no `total` on any page (lists are walked by cursor; a count is a member of the resource they belong to)', () => {
    const shapeOf = (schema: unknown): Record<string, unknown> | undefined => {
      const def = (schema as { _zod?: { def?: { type?: string; getter?: () => unknown; shape?: Record<string, unknown> } } })?._zod?.def;
      if (def?.type === 'lazy' && def.getter) return shapeOf(def.getter());
      return def?.shape;
    };
    const paged = routeList.filter((spec) => spec.query && 'cursor' in (shapeOf(spec.query) ?? {}));
    expect(paged.length).toBeGreaterThan(5);
    for (const spec of paged) {
      const page = shapeOf(spec.responses[200]?.schema);
      expect(page, `${spec.id} declares its page`).toBeDefined();
      expect(Object.keys(page!), spec.id).not.toContain('total');
      expect(Object.keys(page!), spec.id).toContain('cursor');
    }
  });
});

describe('HTTP rules: Accept', () => {
  it('answers 406 when nothing the route produces is acceptable', async () => {
    const res = await call('GET', '/v1/progress', { headers: { accept: 'application/xml' } });
    expect(res.status).toBe(406);
    expect(res.headers['content-type']).toBe('application/problem+json');
    expect(res.json.type).toBe('urn:kanryu:problem:not-acceptable');
    expect(res.json.detail).toContain('text/csv');
    expect((await call('GET', '/v1/catalog', { headers: { accept: 'text/csv' } })).status).toBe(406);
    // A wildcard, a type range or no Accept at all gets JSON.
    for (const accept of ['*/*', 'application/*', 'text/html, */*;q=0.1']) {
      const ok = await call('GET', '/v1/catalog', { headers: { accept } });
      expect(ok.status, accept).toBe(200);
      expect(ok.headers['content-type']).toBe('application/json');
    }
  });

  it('weighs q-values: the most preferred representation wins, q=0 refuses one', async () => {
    const csv = await call('GET', '/v1/progress', { headers: { accept: 'application/json;q=0.5, text/csv' } });
    expect(csv.status, csv.text).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const json = await call('GET', '/v1/progress', { headers: { accept: 'text/csv;q=0.4, application/json;q=0.9' } });
    expect(json.headers['content-type']).toBe('application/json');
    expect(json.json.qualified).toBeDefined();
    // Naming CSV beside a wildcard of the same weight asks for the CSV.
    expect((await call('GET', '/v1/progress', { headers: { accept: 'text/csv, */*' } })).headers['content-type']).toMatch(/^text\/csv/);
    expect((await call('GET', '/v1/progress', { headers: { accept: 'text/csv;q=0, */*' } })).headers['content-type']).toBe('application/json');
    expect((await call('GET', '/v1/progress', { headers: { accept: 'application/json;q=0, text/csv;q=0' } })).status).toBe(406);
  });

  it('negotiates by the most specific range (RFC 9110)', () => {
    const produced = ['application/json', 'text/csv'];
    expect(negotiate(undefined, produced)).toBe('application/json');
    expect(negotiate('text/*;q=0.8, application/json;q=0.7', produced)).toBe('text/csv');
    expect(negotiate('*/*;q=0.9, application/json;q=0', produced)).toBe('text/csv');
    expect(negotiate('TEXT/CSV', produced)).toBe('text/csv');
    expect(negotiate('image/png', produced)).toBeUndefined();
  });

  it('weighs Accept-Language by q-values for the files, a primary subtag naming the language', () => {
    const offered = ['en', 'ja'] as const;
    expect(negotiateLanguage(undefined, offered)).toBeUndefined();
    expect(negotiateLanguage('ja-JP,ja;q=0.9,en;q=0.8', offered)).toBe('ja');
    expect(negotiateLanguage('en;q=0.5, ja;q=0.6', offered)).toBe('ja');
    expect(negotiateLanguage('fr, ja;q=0.1', offered)).toBe('ja');
    expect(negotiateLanguage('ja;q=0, *', offered)).toBe('en');
    expect(negotiateLanguage('en;q=0, *;q=0.5', offered)).toBe('ja');
    expect(negotiateLanguage('fr', offered)).toBeUndefined();
  });

  it('says Vary: accept wherever the representation depends on it, errors included', async () => {
    for (const path of ['/v1/progress', '/v1/progress/series', '/v1/progress/placements']) {
      for (const accept of ['application/json', 'text/csv', 'application/xml']) {
        const res = await call('GET', path, { headers: { accept } });
        const vary = (res.headers.vary ?? '').split(',').map((v) => v.trim().toLowerCase());
        expect(vary, `${path} ${accept}`).toContain('accept');
      }
    }
    const cached = await call('GET', '/v1/progress');
    expect(cached.headers['cache-control']).toMatch(/^public/);
    expect(cached.headers.vary!.split(',').filter((v: string) => v.trim() === 'accept')).toHaveLength(1);
  });
});

describe('HTTP rules: HEAD', () => {
  it('answers HEAD on a GET route with the GET headers and no body', async () => {
    const get = await call('GET', '/v1/catalog');
    const head = await call('HEAD', '/v1/catalog');
    expect(head.status).toBe(200);
    expect(head.text).toBe('');
    expect(head.headers.etag).toBe(get.headers.etag);
    expect(head.headers['content-type']).toBe('application/json');
    expect((await call('HEAD', '/v1/catalog', { headers: { 'if-none-match': get.headers.etag! } })).status).toBe(304);
    const csv = await call('HEAD', '/v1/progress', { headers: { accept: 'text/csv' } });
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.text).toBe('');
  });

  it('keeps the GET route access rules and problem statuses, without a body', async () => {
    const anonymous = await call('HEAD', '/v1/me');
    expect(anonymous.status).toBe(401);
    expect(anonymous.text).toBe('');
    expect((await call('HEAD', '/v1/catalog/9.9')).status).toBe(404);
    expect((await call('HEAD', '/v1/progress', { headers: { accept: 'application/xml' } })).status).toBe(406);
    // HEAD is not offered where there is no GET.
    const post = await call('HEAD', '/v1/completions/import');
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe('POST');
    expect((await call('DELETE', '/v1/catalog')).headers.allow).toBe('GET, HEAD');
  });

  it('is in the contract: a head operation beside each get, and 406 on every operation', async () => {
    const { paths } = (await call('GET', '/openapi.json')).json;
    for (const [path, operations] of Object.entries(paths as Record<string, Record<string, { operationId: string; responses: object }>>)) {
      if (operations.get) expect(operations.head?.operationId, path).toBe(`${operations.get.operationId}Head`);
      for (const operation of Object.values(operations)) expect(Object.keys(operation.responses), `${path} ${operation.operationId}`).toContain('406');
    }
    expect(paths['/v1/progress'].get.responses['406'].description).toContain('text/csv');
  });
});

describe('HTTP rules: Location on creation', () => {
  it('answers each creation 201 with a Location that reads what was created', async () => {
    const course = await call('POST', '/v1/courses', { token: provider, body: courseBody({ title: 'Location 講座' }) });
    expect(course.status, course.text).toBe(201);
    expect((await call('GET', course.headers.location!)).json.courseId).toBe(course.json.courseId);

    const asked = await call('POST', `/v1/courses/${course.json.courseId}/accreditation-requests`, {
      token: provider,
      body: { scheme: 'ipa-exam', validFrom: '2022-04-01' },
    });
    expect(asked.status, asked.text).toBe(201);
    const pending = await call('GET', asked.headers.location!, { token: await adminToken() });
    expect(pending.json.requests.map((r: { requestId: string }) => r.requestId)).toContain(asked.json.requestId);

    const employer = await registerEmployer('7123456789012', '因幡データ');
    const opening = await call('POST', '/v1/openings', { token: employer, body: openingBody() });
    expect(opening.status, opening.text).toBe(201);
    expect((await call('GET', opening.headers.location!, { token: employer })).json.openingId).toBe(opening.json.openingId);
  });

  it('answers a new completion 201 with Location, a repeat 200 with the same Location, a replay as the first', async () => {
    const learner = 'learner-http-1';
    await createLearner(learner, {}, { linkProviders: ['prov-http'] });
    const courseId = await registerCourse(provider);
    const body = { learnerId: learner, courseId, completedOn: '2025-06-01' };
    const headers = { 'idempotency-key': 'http-rules-completion-1' };
    const created = await call('POST', '/v1/completions', { token: provider, body, headers });
    expect(created.status, created.text).toBe(201);
    expect(created.headers.location).toBe(`/v1/learners/${learner}/completions`);
    const listed = await call('GET', created.headers.location!, { token: provider });
    expect(listed.json.completions.map((c: { completionId: string }) => c.completionId)).toContain(created.json.completionId);

    const replay = await call('POST', '/v1/completions', { token: provider, body, headers });
    expect(replay.status).toBe(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.headers.location).toBe(created.headers.location);

    const repeat = await call('POST', '/v1/completions', { token: provider, body });
    expect(repeat.status, repeat.text).toBe(200);
    expect(repeat.headers.location).toBe(created.headers.location);
    expect(repeat.json.completionId).toBe(created.json.completionId);
  });
});

describe('HTTP rules: Location on every creation, its replay and a repeat that creates nothing', () => {
  /** A first PUT or POST creates (201), a repeat creates nothing (200): both name the same Location. */
  function expectCreation(first: CallResult, again: CallResult, location: string) {
    expect(first.status, first.text).toBe(201);
    expect(first.headers.location).toBe(location);
    expect(again.status, again.text).toBe(200);
    expect(again.headers.location).toBe(location);
  }

  it('a learner profile, and the link to a provider (replayed too)', async () => {
    const token = await learnerToken('learner-http-location');
    const put = () => call('PUT', '/v1/learners/me', { token, body: profileBody() });
    expectCreation(await put(), await put(), '/v1/learners/me');
    expect((await call('GET', '/v1/learners/me', { token })).json.learnerId).toBe('learner-http-location');

    // A PUT is idempotent by itself: its repeat is the 200 that creates nothing.
    const link = () => call('PUT', '/v1/learners/me/providers/prov-http', { token });
    expectCreation(await link(), await link(), '/v1/learners/me/providers/prov-http');
    expect((await call('GET', '/v1/learners/me', { token })).json.providerLinks.map((l: { providerId: string }) => l.providerId)).toContain('prov-http');
  });

  it("an organisation, and a course's xAPI activity", async () => {
    const token = await tokenFor({ sub: 'emp-http-location', role: 'employer', org: '2120901007402' });
    const put = () =>
      call('PUT', '/v1/organisations/me', { token, body: { kind: 'employer', name: '位置データ', corporateNumber: '2120901007402', headOffice: '312011' } });
    expectCreation(await put(), await put(), '/v1/organisations/me');

    const courseId = await registerCourse(provider, { title: 'xAPI Location 講座' }, { accredit: false });
    const register = () =>
      call('PUT', `/v1/courses/${courseId}/xapi-activities`, { token: provider, body: { activityId: 'https://lms.example.jp/courses/http-location' } });
    expectCreation(await register(), await register(), `/v1/courses/${courseId}/xapi-activities`);
  });

  it('a course and an opening retried with the same Idempotency-Key: the first answer, Location included', async () => {
    const headers = { 'idempotency-key': 'http-rules-course-1' };
    const body = courseBody({ title: 'Location 再送講座' });
    const course = await call('POST', '/v1/courses', { token: provider, body, headers });
    const replay = await call('POST', '/v1/courses', { token: provider, body, headers });
    expect(replay.status, replay.text).toBe(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.headers.location).toBe(`/v1/courses/${course.json.courseId}`);

    const employer = await registerEmployer('7123456789012', '因幡データ');
    const openingHeaders = { 'idempotency-key': 'http-rules-opening-1' };
    const opening = await call('POST', '/v1/openings', { token: employer, body: openingBody({ title: 'Location 再送' }), headers: openingHeaders });
    const again = await call('POST', '/v1/openings', { token: employer, body: openingBody({ title: 'Location 再送' }), headers: openingHeaders });
    expect(again.status, again.text).toBe(201);
    expect(again.headers.location).toBe(`/v1/openings/${opening.json.openingId}`);
  });

  it('a national round, at its own collection', async () => {
    const admin = await adminToken();
    const res = await call('POST', '/v1/national-match-runs', { token: admin, body: { dryRun: true } });
    expect(res.status, res.text).toBe(201);
    expect(res.headers.location).toBe(`/v1/national-match-runs/${res.json.nationalRunId}`);
    const read = await call('GET', res.headers.location!, { token: admin });
    expect(read.status, read.text).toBe(200);
    expect(read.json.nationalRunId).toBe(res.json.nationalRunId);
    // The old path under /v1/match-runs is a round id now, as any other.
    expect((await call('GET', `/v1/match-runs/national/${res.json.nationalRunId}`, { token: admin })).status).toBe(404);
  });

  it('is what every route that answers 201 or 202 sends (its function names a Location)', () => {
    // Issued once, never read again: the secret is in the answer and nowhere else, so there is no URI to name.
    const noResourceToName = new Set(['createXapiClient']);
    for (const spec of routeList) {
      const creates = Object.keys(spec.responses).some((status) => status === '201' || status === '202');
      if (!creates || noResourceToName.has(spec.id)) continue;
      const source = readFileSync(new URL(`../../functions/${spec.handler}.ts`, import.meta.url), 'utf8');
      expect(source, `${spec.id} (${spec.method} ${spec.path})`).toMatch(/\blocation\b/);
    }
  });
});

describe('HTTP rules: CORS as the stack declares it', () => {
  it('answers a preflight itself, with what the stack gives API Gateway', async () => {
    const res = await call('OPTIONS', '/v1/openings', {
      headers: {
        origin: 'https://app.example.jp',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, idempotency-key',
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers).toMatchObject({
      'access-control-allow-origin': '*',
      'access-control-allow-methods': CORS.allowMethods.join(','),
      'access-control-allow-headers': CORS.allowHeaders.join(','),
      'access-control-max-age': String(CORS.maxAgeSeconds),
    });
  });

  it('lets a script of another origin read an answer and its Location', async () => {
    const res = await call('GET', '/v1/catalog', { headers: { origin: 'https://app.example.jp' } });
    expect(res.status).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.headers['access-control-expose-headers']!.split(',')).toEqual(expect.arrayContaining(['location', 'etag']));
    // Without Origin (not a browser's cross-origin call) nothing is added.
    expect((await call('GET', '/v1/catalog')).headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('HTTP rules: the national openings search', () => {
  const byId = (res: { json: { openings: { openingId: string }[] } }) => res.json.openings.map((o) => o.openingId);
  let employer: string;
  const opened: Record<string, string> = {};

  async function open(name: string, overrides: Record<string, unknown>) {
    const created = await call('POST', '/v1/openings', { token: employer, body: openingBody(overrides) });
    expect(created.status, created.text).toBe(201);
    const res = await call('PATCH', `/v1/openings/${created.json.openingId}`, { token: employer, body: { status: 'open' } });
    expect(res.status, res.text).toBe(200);
    opened[name] = created.json.openingId;
  }

  beforeAll(async () => {
    employer = await registerEmployer('9234567890123', '東京データ', '131016');
    await open('matsue', { workplace: '322016', workStyle: 'remote' });
    await open('tottori', { workplace: '312011' });
    await open('chiyoda', { workplace: '131016', required: [{ skill: 'cloud-infrastructure', level: 'b' }], niceToHave: [] });
    // A draft is in no search.
    expect((await call('POST', '/v1/openings', { token: employer, body: openingBody({ workplace: '312029' }) })).status).toBe(201);
  });

  it('lists the open openings of every prefecture, in prefecture code order, to anyone without a prefecture', async () => {
    const national = [opened.chiyoda, opened.tottori, opened.matsue];
    const anonymous = await call('GET', '/v1/openings');
    expect(anonymous.status, anonymous.text).toBe(200);
    expect(byId(anonymous)).toEqual(national);
    expect(anonymous.json.cursor).toBeUndefined();
    expect(byId(await call('GET', '/v1/openings', { token: await providerToken('prov-http') }))).toEqual(national);
    expect(byId(await call('GET', '/v1/openings?prefecture=31'))).toEqual([opened.tottori]);
    // An organisation searches as anyone does; its own openings, drafts included, are at /v1/organisations/me/openings.
    expect(byId(await call('GET', '/v1/openings', { token: employer }))).toEqual(national);
    expect(byId(await call('GET', '/v1/openings', { token: await centerToken('31') }))).toEqual(national);
    const own = await call('GET', '/v1/organisations/me/openings?limit=100', { token: employer });
    expect(own.status, own.text).toBe(200);
    expect(own.json.openings.map((o: { status: string }) => o.status).sort()).toEqual(['draft', 'open', 'open', 'open']);
    expect(own.json.cursor).toBeUndefined();
    expect((await call('GET', '/v1/openings?status=draft', { token: await adminToken() })).status).toBe(422);
  });

  it('filters by role, item, work style and remote', async () => {
    expect(byId(await call('GET', '/v1/openings?workStyle=remote'))).toEqual([opened.matsue]);
    expect(byId(await call('GET', '/v1/openings?remote=true'))).toEqual([opened.matsue]);
    expect(byId(await call('GET', '/v1/openings?remote=false'))).toEqual([opened.chiyoda, opened.tottori]);
    expect(byId(await call('GET', '/v1/openings?item=cloud-infrastructure'))).toEqual([opened.chiyoda, opened.tottori, opened.matsue]);
    expect(byId(await call('GET', '/v1/openings?item=data-platform-design'))).toEqual([opened.tottori, opened.matsue]);
    expect(byId(await call('GET', '/v1/openings?role=data-engineer&remote=false&prefecture=13'))).toEqual([opened.chiyoda]);
    expect(byId(await call('GET', '/v1/openings?role=alchemist'))).toEqual([]);
    expect((await call('GET', '/v1/openings?workStyle=hybrid')).status).toBe(400);
  });

  it('pages across prefectures exactly, and the last page has no cursor', async () => {
    for (const limit of [1, 2, 3]) {
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const res = await call('GET', `/v1/openings?limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
        expect(res.status, res.text).toBe(200);
        expect(res.json.openings.length, `limit ${limit}`).toBeGreaterThan(0);
        seen.push(...byId(res));
        cursor = res.json.cursor;
        pages++;
      } while (cursor);
      expect(seen, `limit ${limit}`).toEqual([opened.chiyoda, opened.tottori, opened.matsue]);
      expect(pages).toBe(Math.ceil(3 / limit));
    }
    const filtered = await call('GET', '/v1/openings?limit=1&remote=false');
    expect(byId(filtered)).toEqual([opened.chiyoda]);
    const rest = await call('GET', `/v1/openings?limit=1&remote=false&cursor=${encodeURIComponent(filtered.json.cursor)}`);
    expect(byId(rest)).toEqual([opened.tottori]);
    expect(rest.json.cursor).toBeUndefined();
  });
});

describe('HTTP rules: dot segments', () => {
  it('routes "." and ".." segments as written, so they never reach another route', async () => {
    for (const path of ['/v1/match-cycles/../openings', '/v1/match-cycles/%2e%2E/openings', '/v1/courses/./crs_00000000000000000000']) {
      const answer = await call('GET', path);
      expect(answer.status, `${path}: ${answer.text}`).toBeGreaterThanOrEqual(400);
      expect(answer.status).toBeLessThan(500);
    }
    expect((await call('GET', '/v1/openings')).status).toBe(200);
  });
});
