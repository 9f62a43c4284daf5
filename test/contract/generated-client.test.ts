import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import createClient from 'openapi-fetch';
import openapiTS, { astToString } from 'openapi-typescript';
import { beforeAll, describe, expect, it } from 'vitest';
import { addDays, japanDate } from '../../shared/time/japan-time';
import { checkedInvoke, invoke } from '../support/api';
import { contractViolation } from '../support/contract';
import { centerToken, createLearner, providerToken, registerEmployer, seedCatalog } from '../support/fixtures';

/**
 * A client generated from the served /openapi.json with openapi-typescript, and a walk
 * through the API written against it with openapi-fetch (./walkthrough/client.ts: course,
 * completion, skills, opening, candidates, round, proposal, progress), without casts. The
 * walk must typecheck against the types of today's document, so a change to the document
 * that would break such a client fails here; then it runs, in process, against the API.
 */
const root = fileURLToPath(new URL('../..', import.meta.url));
const walkthroughDir = join(root, 'test/contract/walkthrough');
const run = promisify(execFile);
// tsc over some 14,000 lines of generated types takes seconds, more on a busy machine.

let document: object;

beforeAll(async () => {
  const served = await checkedInvoke({ method: 'GET', url: '/openapi.json', headers: {} });
  expect(served.statusCode).toBe(200);
  document = JSON.parse(served.body ?? '') as object;
});

describe('a client generated from /openapi.json', () => {
  it('typechecks the walkthrough with no casts', async () => {
    const types = astToString(await openapiTS(document as Parameters<typeof openapiTS>[0]));
    mkdirSync(join(walkthroughDir, 'generated'), { recursive: true });
    writeFileSync(join(walkthroughDir, 'generated/openapi.d.ts'), types);
    const checked = await run(join(root, 'node_modules/.bin/tsc'), ['-p', join(walkthroughDir, 'tsconfig.json')], { cwd: root }).then(
      () => '',
      (error: { stdout?: string; stderr?: string }) => `${error.stdout ?? ''}${error.stderr ?? ''}` || String(error),
    );
    expect(checked, 'tsc -p test/contract/walkthrough/tsconfig.json').toBe('');
  }, 120_000);

  it('walks through the API in process, every answer as the document says', async () => {
    await seedCatalog();
    const providerOrg = 'prov-walkthrough';
    const learnerSub = 'walkthrough-learner';
    const tokens = {
      provider: await providerToken(providerOrg),
      learner: await createLearner(learnerSub, {}, { linkProviders: [providerOrg] }),
      employer: await registerEmployer('7123456789012', '因幡データ'),
      center: await centerToken('31'),
    };
    const violations: string[] = [];
    const client = createClient({
      baseUrl: 'http://localhost',
      fetch: async (request: Request) => {
        const url = new URL(request.url);
        const path = `${url.pathname}${url.search}`;
        const body = Buffer.from(await request.arrayBuffer());
        // The raw invoker, checked below: the walk collects every violation and names them all at the end.
        const answer = await invoke({ method: request.method, url: path, headers: Object.fromEntries(request.headers), ...(body.length ? { body } : {}) });
        const text = answer.body ?? '';
        const violation = contractViolation(request.method, path, {
          status: answer.statusCode,
          headers: answer.headers ?? {},
          text,
          ...(answer.bytes ? { bytes: answer.bytes } : {}),
        });
        if (violation) violations.push(violation);
        return new Response(text === '' ? null : text, { status: answer.statusCode, headers: answer.headers });
      },
    });
    const today = japanDate(new Date());
    // A path TypeScript does not follow: the main tsconfig has no generated types to check the walkthrough with.
    const module = join(walkthroughDir, 'client.ts');
    const { walkthrough } = (await import(module)) as { walkthrough: (client: unknown, tokens: unknown, journey: unknown) => Promise<Record<string, unknown>> };
    const walked = await walkthrough(client, tokens, {
      learnerId: learnerSub,
      catalogVersion: '1.2',
      prefecture: '31',
      workplace: '312011',
      today,
      deadline: addDays(today, 30),
      start: addDays(today, 60),
    });
    expect(violations).toEqual([]);
    expect(walked.location).toMatch(/^\/v1\/courses\/crs_/);
    expect(walked.counted).toBe('verified');
    // The round proposed the opening to the learner, who accepted it.
    expect(walked.decided).toMatchObject({
      openingId: (walked.opening as { openingId: string }).openingId,
      decisions: [{ by: 'candidate', decision: 'accept' }],
    });
    expect(walked.problemType).toBe('urn:kanryu:problem:unauthenticated');
  }, 120_000);
});
