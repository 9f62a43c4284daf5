import type { SQSEvent } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { handler as importWorker } from '../../functions/jobs/import-worker';
import { getImportJob, importChunksLeft, recordImportChunk } from '../../shared/data/imports';
import { NOT_REPORTABLE_LEARNER } from '../../shared/domain/completions';
import { IMPORT_CHUNK_ROWS } from '../../shared/domain/imports';
import { addDays } from '../../shared/time/japan-time';
import { call, tokenFor } from '../support/api';
import { adminToken, createLearner, learnerToken, providerToken, registerCourse, seedCatalog } from '../support/fixtures';

/**
 * Bulk CSV over the threshold (500 data rows): answered 202 with a job before any row is
 * stored; the import workers (an in-process queue here, SQS in AWS) store the rows with
 * the checks of a single report, count each chunk once, and the job says when it is done.
 */
let provider: string;
let courseId: string;
const LEARNERS = Array.from({ length: 10 }, (_, i) => `bulk-l${i}`);
const HEADER = 'learner_id,course_id,completed_on';
const csvOf = (rows: string[]) => Buffer.from(`${HEADER}\n${rows.join('\n')}\n`, 'utf8');
const dateOf = (i: number) => addDays('2022-04-01', i);

beforeAll(async () => {
  await seedCatalog();
  provider = await providerToken('prov-bulk');
  courseId = await registerCourse(provider);
  for (const learner of LEARNERS) await createLearner(learner, {}, { linkProviders: ['prov-bulk'] });
});

const upload = (body: Buffer, token = provider, headers: Record<string, string> = {}) =>
  call('POST', '/v1/completions/import', { token, headers, raw: { contentType: 'text/csv', data: body } });

async function waitUntilFinished(importId: string, token = provider, withinMs = 150_000) {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const res = await call('GET', `/v1/imports/${importId}`, { token });
    expect(res.status, res.text).toBe(200);
    if (res.json.finished) return res.json;
    if (Date.now() > deadline) throw new Error(`import ${importId} not finished within ${withinMs} ms: ${res.json.done} of ${res.json.rows} rows done`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

const deliver = (importId: string, chunk: number) =>
  importWorker({ Records: [{ messageId: `dup-${chunk}`, body: JSON.stringify({ importId, chunk }) }] } as unknown as SQSEvent);

async function completionsOf(learnerId: string): Promise<{ courseId: string; completedOn: string; status: string }[]> {
  const token = await learnerToken(learnerId);
  const all = [];
  let cursor: string | undefined;
  do {
    const res = await call('GET', `/v1/learners/${learnerId}/completions?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { token });
    expect(res.status, res.text).toBe(200);
    all.push(...res.json.completions);
    cursor = res.json.cursor;
  } while (cursor);
  return all;
}

describe('a 10,000-row upload', () => {
  // 9,900 valid rows (10 learners x 990 dates), 60 rows of people the provider may not
  // report for (refused by the workers), 40 malformed dates (refused in the request).
  const rows: string[] = [];
  const rejectedInRequest = new Set<number>();
  const rejectedByWorkers = new Set<number>();
  beforeAll(() => {
    for (let d = 0; d < 990; d++) for (const learner of LEARNERS) rows.push(`${learner},${courseId},${dateOf(d)}`);
    for (let i = 0; i < 100; i++) {
      const at = i * 100 + 7;
      if (i % 5 < 2) {
        rows.splice(at, 0, `bulk-l0,${courseId},not-a-date`);
        rejectedInRequest.add(at + 2);
      } else {
        rows.splice(at, 0, `bulk-nobody-${i},${courseId},${dateOf(i)}`);
        rejectedByWorkers.add(at + 2);
      }
    }
  });
  let importId: string;
  let finished: Record<string, unknown> & { rejected: { row: number; reason: string }[] };

  it('answers 202 with the job before any row is stored; the job finishes with every row accounted for', async () => {
    expect(rows).toHaveLength(10_000);
    const started = Date.now();
    const res = await upload(csvOf(rows), provider, { 'idempotency-key': 'bulk-10k-first-upload' });
    expect(res.status, res.text).toBe(202);
    importId = res.json.importId;
    expect(importId).toMatch(/^imp_[a-f0-9]{20}$/);
    expect(res.headers.location).toBe(`/v1/imports/${importId}`);
    // The job as the request left it: only the rows the request itself could refuse are done.
    expect(res.json).toMatchObject({
      rows: 10_000,
      done: 40,
      stored: 0,
      verified: 0,
      unchanged: 0,
      rejectedCount: 40,
      finished: false,
      providerId: 'prov-bulk',
    });

    // A second delivery of every chunk (and of one that does not exist), one after another
    // while the queue delivers its own: whichever comes second waits or finds it counted.
    const chunks = Math.ceil(9_960 / IMPORT_CHUNK_ROWS);
    for (let chunk = 0; chunk <= chunks; chunk++) await deliver(importId, chunk);

    finished = await waitUntilFinished(importId);
    console.info(`10,000-row import stored in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    expect(finished).toMatchObject({ rows: 10_000, done: 10_000, stored: 9_900, verified: 0, unchanged: 0, rejectedCount: 100, finished: true });
    expect(finished.finishedAt).toEqual(expect.any(String));
    // The rows waiting in the table (learner ids) are gone once stored.
    expect(await importChunksLeft(importId)).toBe(false);
    expect(finished.rejected.map((r) => r.row)).toEqual([...rejectedInRequest, ...rejectedByWorkers].sort((a, b) => a - b));
    for (const { row, reason } of finished.rejected) {
      if (rejectedInRequest.has(row)) expect(reason, `row ${row}`).toMatch(/^completed_on: /);
      else expect(reason, `row ${row}`).toBe(NOT_REPORTABLE_LEARNER);
    }
  }, 180_000);

  it('really stored the completions: every date of a learner, verified, in their list', async () => {
    for (const learner of ['bulk-l0', 'bulk-l9']) {
      const completions = await completionsOf(learner);
      expect(completions).toHaveLength(990);
      expect(new Set(completions.map((c) => c.completedOn)).size).toBe(990);
      expect(completions.every((c) => c.courseId === courseId && c.status === 'verified')).toBe(true);
    }
  }, 60_000);

  it('counts a chunk delivered again after it was counted only once', async () => {
    const before = await call('GET', `/v1/imports/${importId}`, { token: provider });
    // A redelivery after the chunk was counted and removed: acknowledged, nothing counted.
    expect((await deliver(importId, 0)).batchItemFailures).toEqual([]);
    // A worker that counted the chunk but died before removing it: the count is refused.
    const job = (await getImportJob(importId))!;
    const again = await recordImportChunk(
      importId,
      0,
      job.version,
      { rows: 1, stored: 1, verified: 0, unchanged: 0, rejectedCount: 0, rejected: [] },
      new Date().toISOString(),
    );
    expect(again).toBe(false);
    const after = await call('GET', `/v1/imports/${importId}`, { token: provider });
    expect(after.json).toEqual(before.json);
  });

  it('replays the 202 for the same Idempotency-Key: the same job, no second one', async () => {
    const res = await upload(csvOf(rows), provider, { 'idempotency-key': 'bulk-10k-first-upload' });
    expect(res.status).toBe(202);
    expect(res.headers['idempotent-replayed']).toBe('true');
    expect(res.headers.location).toBe(`/v1/imports/${importId}`);
    expect(res.json.importId).toBe(importId);
  });

  it('stores nothing new when the same rows are uploaded again as a new import', async () => {
    // The first 600 rows (6 of them refused) keep this quick; each row's fate is the same.
    const res = await upload(csvOf(rows.slice(0, 600)));
    expect(res.status).toBe(202);
    expect(res.json.importId).not.toBe(importId);
    const again = await waitUntilFinished(res.json.importId);
    expect(again).toMatchObject({ rows: 600, done: 600, stored: 0, verified: 0, unchanged: 594, rejectedCount: 6 });
  }, 60_000);

  it('shows the job to its provider and to admin only', async () => {
    const url = `/v1/imports/${importId}`;
    expect((await call('GET', url, { token: await adminToken() })).json).toMatchObject({ importId, stored: 9_900 });
    const colleague = await tokenFor({ sub: 'prov-bulk-clerk', role: 'provider', org: 'prov-bulk' });
    const sameProviderOtherAccount = await call('GET', url, { token: colleague });
    expect(sameProviderOtherAccount.status).toBe(200);
    const other = await call('GET', url, { token: await providerToken('prov-other') });
    expect(other.status).toBe(404);
    expect(other.headers['content-type']).toBe('application/problem+json');
    expect(other.text).not.toContain('prov-bulk');
    expect((await call('GET', url, { token: await learnerToken('bulk-l0') })).status).toBe(403);
    expect((await call('GET', url)).status).toBe(401);
    expect((await call('GET', '/v1/imports/imp_00000000000000000000', { token: provider })).status).toBe(404);
    expect((await call('GET', '/v1/imports/not-an-id', { token: provider })).status).toBe(400);
  });
});

describe('the threshold', () => {
  const fileOf = (count: number, firstDay: number) =>
    csvOf(Array.from({ length: count }, (_, i) => `${LEARNERS[i % 10]},${courseId},${dateOf(firstDay + Math.floor(i / 10))}`));

  it('keeps the synchronous answer up to 500 data rows', async () => {
    const res = await upload(fileOf(500, 1000));
    expect(res.status, res.text).toBe(200);
    expect(res.headers.location).toBeUndefined();
    expect(res.json).toEqual({ rows: 500, stored: 500, verified: 0, unchanged: 0, rejected: [] });
  }, 60_000);

  it('queues from 501 data rows on', async () => {
    const res = await upload(fileOf(501, 1100));
    expect(res.status, res.text).toBe(202);
    expect(await waitUntilFinished(res.json.importId)).toMatchObject({ rows: 501, done: 501, stored: 501, rejectedCount: 0, rejected: [] });
  }, 60_000);

  it('answers a queued file whose rows all fail in the request as a finished job', async () => {
    const res = await upload(csvOf(Array.from({ length: 600 }, () => `bulk-l0,${courseId},yesterday`)));
    expect(res.status, res.text).toBe(202);
    expect(res.json).toMatchObject({ rows: 600, done: 600, stored: 0, rejectedCount: 600, finished: true });
    expect(res.json.rejected).toHaveLength(600);
    expect(res.json.finishedAt).toBe(res.json.createdAt);
  });
});
