import { expect, vi } from 'vitest';
import { RUN_GRACE_MS } from '../../shared/domain/match-cycle-run';
import { call } from './api';
import type { World } from './security-world';

/**
 * Matching cycles for the security suites, made through the API on first use (the
 * shared world, test/support/security-world.ts, is built before them): C31, the center of
 * 31's cycle over employer A's and 鳥取市's open openings, and C32, the center of 32's over
 * employer B's, both with their ranking window open for hours.
 */
export interface WorldCycles {
  c31: string;
  c32: string;
}

let made: Promise<WorldCycles> | undefined;

const openWindow = (hours: number) => ({ from: new Date(Date.now() - 60_000).toISOString(), to: new Date(Date.now() + hours * 3600_000).toISOString() });

async function openCycle(token: string, body: Record<string, unknown>): Promise<string> {
  const res = await call('POST', '/v1/match-cycles', { token, body });
  expect(res.status, res.text).toBe(201);
  return res.json.cycleId as string;
}

export function worldCycles(w: World): Promise<WorldCycles> {
  made ??= (async () => ({
    c31: await openCycle(w.tokens.center, { openings: [w.openings.employerOpen, w.openings.municipalityOpen], window: openWindow(6) }),
    c32: await openCycle(w.tokens.otherCenter, { openings: [w.openings.otherOpen], window: openWindow(6) }),
  }))();
  return made;
}

/**
 * A cycle of 31 whose window has closed, ready to run (it closes a second after it is
 * opened): the clock the product reads moves past the run's grace after the close, and
 * goes on from there (cycleRan puts it back).
 */
export async function closedCycle(w: World): Promise<string> {
  const to = Date.now() + 1000;
  const cycleId = await openCycle(w.tokens.center, {
    openings: [w.openings.municipalityOpen],
    window: { from: new Date(Date.now() - 60_000).toISOString(), to: new Date(to).toISOString() },
  });
  vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true });
  vi.setSystemTime(to + RUN_GRACE_MS + 1000);
  return cycleId;
}

/** Follows a cycle whose run was requested until the match-run job has run it (or given it back). */
export async function cycleRan(token: string, location: string): Promise<void> {
  for (let attempt = 0; attempt < 3000; attempt++) {
    const read = await call('GET', location, { token });
    expect(read.status, read.text).toBe(200);
    if (read.json.status !== 'running') {
      vi.useRealTimers();
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`${location} still running`);
}
