import { createHash } from 'node:crypto';
import { claimIdempotencyKey, releaseIdempotencyKey, storeIdempotentResponse } from '../data/idempotency';
import { conflict, AppError } from '../errors';
import type { Actor } from '../identity';
import type { Reply } from './handler';

const POLL_MS = 100;
const POLL_FOR_MS = 3000;

/**
 * Runs `work` at most once per (caller, Idempotency-Key). A retry with the same key gets
 * the first answer back; the same key with another request is refused (422); while the
 * first is still running a duplicate waits briefly for its answer, then gets 409 to retry.
 */
export async function oncePerIdempotencyKey(
  request: { idempotencyKey: string | undefined; actor: Actor | undefined; body: unknown; routeId: string },
  work: () => Promise<Reply>,
): Promise<Reply> {
  const key = request.idempotencyKey;
  if (!key) return work();
  const owner = request.actor?.sub ?? 'anonymous';
  const name = `${request.routeId}#${key}`;
  const hash = createHash('sha256').update(JSON.stringify(request.body ?? null)).digest('hex');
  const deadline = Date.now() + POLL_FOR_MS;
  for (;;) {
    const claim = await claimIdempotencyKey(owner, name, hash, new Date());
    if (claim.state === 'replay') return { status: claim.response.status, body: claim.response.body, headers: { 'idempotent-replayed': 'true' } };
    if (claim.state === 'mismatch') {
      throw new AppError('idempotency-key-reused', 'This Idempotency-Key was used for a different request; use a new key for a new request.');
    }
    if (claim.state === 'claimed') break;
    if (Date.now() > deadline) throw conflict('A request with this Idempotency-Key is still being processed; retry shortly.');
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  try {
    const reply = await work();
    await storeIdempotentResponse(owner, name, { status: reply.status ?? 200, body: reply.body ?? null });
    return reply;
  } catch (error) {
    await releaseIdempotencyKey(owner, name);
    throw error;
  }
}
