import { createHash } from 'node:crypto';
import { claimIdempotencyKey, forgetStoredAnswer, releaseIdempotencyKey, storeIdempotentResponse } from '../data/idempotency';
import { getLearnerProfile } from '../data/learners';
import { logger } from '../log';
import { conflict, AppError } from '../errors';
import { identityKey, type Actor } from '../identity';
import type { Reply } from './edge';
import { routeKey, type RouteSpec } from './route';

const POLL_MS = 100;
const POLL_FOR_MS = 3000;

/**
 * Runs `work` at most once per (caller, route, Idempotency-Key), for every route the
 * table declares idempotent. A retry with the same key gets the first answer back; the
 * same key with another request is refused (422); while the first is still running a
 * duplicate waits briefly for its answer, then gets 409 to retry. Answers are kept per
 * whole identity (role, organisation, subject), so no other account ever replays them.
 */
export async function oncePerIdempotencyKey(
  spec: Pick<RouteSpec, 'method' | 'path' | 'idempotent'>,
  request: { idempotencyKey: string | undefined; actor: Actor | undefined; body: unknown },
  work: () => Promise<Reply>,
): Promise<Reply> {
  const key = request.idempotencyKey;
  if (!key) return work();
  const owner = identityKey(request.actor);
  const name = `${routeKey(spec)}#${key}`;
  const hash = createHash('sha256')
    .update(JSON.stringify(request.body ?? null))
    .digest('hex');
  const deadline = Date.now() + POLL_FOR_MS;
  for (;;) {
    const claim = await claimIdempotencyKey(owner, name, hash, new Date());
    if (claim.state === 'replay') {
      const { status, body, headers } = claim.response;
      return { status, body, headers: { ...headers, 'idempotent-replayed': 'true' } };
    }
    if (claim.state === 'mismatch') {
      throw new AppError('idempotency-key-reused', 'This Idempotency-Key was used for a different request; use a new key for a new request.');
    }
    if (claim.state === 'claimed') break;
    if (Date.now() > deadline) throw conflict('A request with this Idempotency-Key is still being processed; retry shortly.');
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  try {
    const reply = await work();
    const field = typeof spec.idempotent === 'object' ? spec.idempotent.learnerField : undefined;
    const about = field ? (reply.body as Record<string, unknown> | undefined)?.[field] : undefined;
    const learner = typeof about === 'string' ? about : undefined;
    await storeIdempotentResponse(
      owner,
      name,
      {
        status: reply.status ?? 200,
        body: reply.body ?? null,
        ...(reply.headers?.location ? { headers: { location: reply.headers.location } } : {}),
      },
      learner,
    );
    // An erasure deletes the profile before it looks for stored answers: if it ran while
    // this answer was being stored, the profile is gone now and the answer must go too.
    if (learner && !(await getLearnerProfile(learner))) {
      // The work is done and answered; failing to forget must not turn it into an error.
      await forgetStoredAnswer(owner, name).catch((error: Error) =>
        logger.error('stored answer of an erased learner not removed', { error: { name: error.name, message: error.message } }),
      );
    }
    return reply;
  } catch (error) {
    await releaseIdempotencyKey(owner, name);
    throw error;
  }
}
