import { createHash } from 'node:crypto';
import { forEachConcurrently } from '../concurrency';
import { getCurrentCatalogVersion, listCatalogVersions } from '../data/catalog';
import { LEARNER_SEGMENTS, learnersOfSegment } from '../data/learners';
import {
  advanceRebuildSegment,
  createRebuild,
  finishRebuild,
  getCurrentRebuild,
  getRebuild,
  getRebuildSegment,
  moveCurrentRebuild,
  rebuildSegments,
  type Rebuild,
} from '../data/rebuilds';
import { serviceBusy } from '../errors';
import { derivationGeneration } from '../data/accreditations';
import { readRuleSet } from '../data/counting-rules';
import { refreshLearner } from './derivation';

/**
 * Rebuilding every learner's derived state (pool entries, qualifications) after what the
 * derivation depends on changes: a catalog version installed or made current, a counting
 * rule installed or activated, an accreditation granted, a course's mapping edited. The learners are walked segment by segment (shared/data/learners.ts); each
 * page is derived, then recorded as done with a conditional write, so a worker killed
 * anywhere is resumed by the next from the last recorded page, and re-deriving a learner is
 * idempotent. In AWS a Step Functions Distributed Map runs one Lambda per segment; the local
 * host runs the segments in process from its scheduler. A later change supersedes a
 * running rebuild: its workers stop at their next page and the new one starts from scratch.
 */
const PAGE = 100;
const DERIVE_CONCURRENTLY = 8;

/** What the derivation depends on, as one hash: equal fingerprints need no rebuild. */
export async function derivationFingerprint(): Promise<string> {
  const [versions, current, rules, courses] = await Promise.all([listCatalogVersions(), getCurrentCatalogVersion(), readRuleSet(), derivationGeneration()]);
  const inputs = {
    catalogs: versions.map((v) => `${v.version}:${v.contentHash}`).sort(),
    current: current ?? null,
    rules: rules.rules.map((r) => `${r.rule.version}:${r.contentHash}`).sort(),
    currentRule: rules.current?.version ?? null,
    // Accreditations granted and course mappings edited (shared/domain/accreditation.ts).
    courses,
  };
  return createHash('sha256').update(JSON.stringify(inputs)).digest('hex');
}

/**
 * Starts a rebuild for the current inputs of the derivation, unless the current rebuild
 * (running or done) already has them: then answers with that one. Safe to call twice at once.
 */
export async function startRebuild(reason: string, now: Date): Promise<{ rebuild: Rebuild; started: boolean }> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const [fingerprint, current] = await Promise.all([derivationFingerprint(), getCurrentRebuild()]);
    if (current?.fingerprint === fingerprint) {
      const existing = await getRebuild(current.rebuildId);
      if (existing) return { rebuild: existing, started: false };
    }
    const generation = (current?.generation ?? 0) + 1;
    const rebuild: Rebuild = {
      rebuildId: `rbd_${String(generation).padStart(6, '0')}_${fingerprint.slice(0, 10)}`,
      generation,
      fingerprint,
      reason,
      segments: LEARNER_SEGMENTS,
      status: 'running',
      createdAt: now.toISOString(),
    };
    await createRebuild(rebuild);
    if (await moveCurrentRebuild(rebuild, current?.rebuildId)) {
      if (current) await finishRebuild(current.rebuildId, 'superseded', now.toISOString());
      return { rebuild, started: true };
    }
  }
  throw serviceBusy('Other rebuilds were being started at the same time; retry the same request.');
}

/** Test seam: lets a test stop a worker between any two steps, like a crash. */
export type RebuildCheckpoint = (step: 'page-derived' | 'page-recorded') => void | Promise<void>;

/**
 * Works through one segment until it is done, the rebuild is superseded, or `deadline`
 * (epoch ms) passes. Returns whether the segment is finished.
 */
export async function runRebuildSegment(
  rebuildId: string,
  segment: number,
  options: { deadline?: number; checkpoint?: RebuildCheckpoint; now?: () => Date } = {},
): Promise<{ done: boolean }> {
  const now = options.now ?? (() => new Date());
  for (;;) {
    if (options.deadline !== undefined && Date.now() > options.deadline) return { done: false };
    const current = await getCurrentRebuild();
    if (current?.rebuildId !== rebuildId) {
      await finishRebuild(rebuildId, 'superseded', now().toISOString());
      return { done: true };
    }
    const state = await getRebuildSegment(rebuildId, segment);
    if (!state || state.done) return { done: true };
    const page = await learnersOfSegment(segment, state.cursor, PAGE);
    let errors = 0;
    let lastError: string | undefined;
    await forEachConcurrently(page.items, DERIVE_CONCURRENTLY, async (learnerId) => {
      try {
        await refreshLearner(learnerId, now(), { fresh: true });
      } catch (error) {
        // Counted and shown on the rebuild; the learner is re-derived by their next completion or the next rebuild.
        errors++;
        lastError = error instanceof Error ? error.name : 'unknown error';
      }
    });
    await options.checkpoint?.('page-derived');
    await advanceRebuildSegment(rebuildId, segment, state.cursor, page.cursor, { learners: page.items.length, errors, ...(lastError ? { lastError } : {}) });
    await options.checkpoint?.('page-recorded');
  }
}

/** Marks the rebuild done once every segment is. */
export async function completeRebuildIfDone(rebuildId: string, now: Date): Promise<boolean> {
  const segments = await rebuildSegments(rebuildId);
  if (segments.length === 0 || segments.some((s) => !s.done)) return false;
  await finishRebuild(rebuildId, 'done', now.toISOString());
  return true;
}

/** Every segment of a rebuild in this process (the local host; tests). */
export async function runRebuild(rebuildId: string, options: { checkpoint?: RebuildCheckpoint; segmentsAtOnce?: number } = {}): Promise<void> {
  const rebuild = await getRebuild(rebuildId);
  if (rebuild?.status !== 'running') return;
  const segments = Array.from({ length: rebuild.segments }, (_, i) => i);
  await forEachConcurrently(segments, options.segmentsAtOnce ?? 4, async (segment) => {
    await runRebuildSegment(rebuildId, segment, options.checkpoint ? { checkpoint: options.checkpoint } : {});
  });
  await completeRebuildIfDone(rebuildId, new Date());
}

/** The local scheduler's tick: carries on with the current rebuild if it is not finished. */
export async function resumeCurrentRebuild(): Promise<{ rebuildId?: string }> {
  const current = await getCurrentRebuild();
  if (!current) return {};
  const rebuild = await getRebuild(current.rebuildId);
  if (rebuild?.status !== 'running') return {};
  await runRebuild(current.rebuildId);
  return { rebuildId: current.rebuildId };
}

/** What admin sees of a rebuild. */
export async function rebuildView(rebuildId: string) {
  const rebuild = await getRebuild(rebuildId);
  if (!rebuild) return undefined;
  const segments = await rebuildSegments(rebuildId);
  return {
    rebuildId,
    reason: rebuild.reason,
    status: rebuild.status,
    createdAt: rebuild.createdAt,
    ...(rebuild.finishedAt ? { finishedAt: rebuild.finishedAt } : {}),
    segments: { total: rebuild.segments, done: segments.filter((s) => s.done).length },
    learnersDone: segments.reduce((n, s) => n + s.learnersDone, 0),
    errors: segments.reduce((n, s) => n + s.errors, 0),
  };
}
