import { auditSubject, recordAudit } from '../data/audit';
import { deleteProviderLink, providerLinksOf, putProviderLink } from '../data/provider-links';
import type { Actor } from '../identity';

/**
 * A learner's explicit "this provider may report my completions". Only a linked provider's
 * reports of the learner are accepted (shared/domain/completions.ts), so a provider cannot
 * move the national count with learners it merely names. Revoking stops new reports;
 * completions already stored stay. Both are idempotent, and each change is in the
 * learner's access log.
 */
export async function linkProvider(actor: Actor, providerId: string, now: Date) {
  const { created, link } = await putProviderLink({ learnerId: actor.sub, providerId, linkedAt: now.toISOString() });
  if (created) await recordAudit(actor, 'provider-linked', auditSubject.learner(actor.sub), now, { providerId });
  return { created, view: { providerId, linked: true, linkedAt: link.linkedAt } };
}

export async function unlinkProvider(actor: Actor, providerId: string, now: Date) {
  const removed = await deleteProviderLink(actor.sub, providerId);
  if (removed) await recordAudit(actor, 'provider-unlinked', auditSubject.learner(actor.sub), now, { providerId });
  return { providerId, linked: false };
}

/** The providers a learner linked, as they see them (their profile and their export). */
export async function providerLinksView(learnerId: string) {
  return (await providerLinksOf(learnerId)).map(({ providerId, linkedAt }) => ({ providerId, linkedAt }));
}

/** Erasure: every link goes, so a later profile under the same account starts unlinked. */
export async function unlinkEveryProvider(learnerId: string) {
  for (const { providerId } of await providerLinksOf(learnerId)) await deleteProviderLink(learnerId, providerId);
}
