import { expect } from 'vitest';
import { call } from './api';

/** A round as the center sees it once computed: the run, and every proposal of it. */
export interface ComputedRound {
  run: any;
  proposals: any[];
}

/**
 * Requests a prefecture's round (202: the match-run job computes it, here on the in-process
 * queue) and follows its Location until it is no longer computing, then reads all its
 * proposals as the requesting center does.
 */
export async function runRound(token: string, body: Record<string, unknown>, withinMs = 60_000): Promise<ComputedRound> {
  const requested = await call('POST', '/v1/match-runs', { token, body });
  expect(requested.status, requested.text).toBe(202);
  expect(requested.json.status).toBe('computing');
  const location = requested.headers.location!;
  expect(location).toBe(`/v1/match-runs/${requested.json.runId}`);
  const run = await computedRun(token, location, withinMs);
  expect(run.status, JSON.stringify(run)).not.toBe('failed');
  const proposals: any[] = [];
  let cursor: string | undefined;
  do {
    const page = await call('GET', `${location}/proposals?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { token });
    expect(page.status, page.text).toBe(200);
    proposals.push(...page.json.proposals);
    cursor = page.json.cursor;
  } while (cursor);
  return { run, proposals };
}

/** Follows a requested round's Location until the job has computed it (or it failed). */
export async function computedRun(token: string, location: string, withinMs = 60_000): Promise<any> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const read = await call('GET', location, { token });
    expect(read.status, read.text).toBe(200);
    if (read.json.status !== 'computing') return read.json;
    if (Date.now() > deadline) throw new Error(`round ${read.json.runId} still computing after ${withinMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
