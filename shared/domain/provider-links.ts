import { auditSubject, recordAudit } from '../data/audit';
import {
  claimProviderAccount,
  deleteProviderLink,
  getProviderLink,
  providerLinksOf,
  putProviderLink,
  releaseProviderAccount,
  writeProviderLink,
} from '../data/provider-links';
import { conflict } from '../errors';
import type { Actor } from '../identity';

/**
 * A learner's explicit "this provider may report my completions". Only a linked provider's
 * reports of the learner are accepted (shared/domain/completions.ts), so a provider cannot
 * move the national count with learners it merely names. Revoking stops new reports;
 * completions already stored stay. Both are idempotent, and each change is in the
 * learner's access log.
 */
export async function linkProvider(actor: Actor, providerId: string, now: Date, accountName?: string) {
  const existing = await getProviderLink(actor.sub, providerId);
  if (accountName === undefined || accountName === existing?.accountName) {
    const { created, link } = await putProviderLink({ learnerId: actor.sub, providerId, linkedAt: now.toISOString(), ...(accountName ? { accountName } : {}) });
    if (created) await recordAudit(actor, 'provider-linked', auditSubject.learner(actor.sub), now, { providerId });
    return { created, view: viewOf(link) };
  }
  // A new account name: claimed first, so one account name never stands for two learners.
  if (!(await claimProviderAccount(providerId, accountName, actor.sub))) {
    throw conflict(`Another learner gave this account name for provider ${providerId}: check the name your learning system shows you.`);
  }
  const link = { learnerId: actor.sub, providerId, linkedAt: existing?.linkedAt ?? now.toISOString(), accountName };
  await writeProviderLink(link);
  if (existing?.accountName) await releaseProviderAccount(providerId, existing.accountName, actor.sub);
  await recordAudit(actor, existing ? 'provider-account-named' : 'provider-linked', auditSubject.learner(actor.sub), now, { providerId });
  return { created: !existing, view: viewOf(link) };
}

const viewOf = (link: { providerId: string; linkedAt: string; accountName?: string }) => ({
  providerId: link.providerId,
  linked: true,
  linkedAt: link.linkedAt,
  ...(link.accountName ? { accountName: link.accountName } : {}),
});

export async function unlinkProvider(actor: Actor, providerId: string, now: Date) {
  const removed = await deleteProviderLink(actor.sub, providerId);
  if (removed?.accountName) await releaseProviderAccount(providerId, removed.accountName, actor.sub);
  if (removed) await recordAudit(actor, 'provider-unlinked', auditSubject.learner(actor.sub), now, { providerId });
  return { providerId, linked: false };
}

/** The providers a learner linked, as they see them (their profile and their export). */
export async function providerLinksView(learnerId: string) {
  return (await providerLinksOf(learnerId)).map(({ providerId, linkedAt, accountName }) => ({ providerId, linkedAt, ...(accountName ? { accountName } : {}) }));
}

/** Erasure: every link goes, so a later profile under the same account starts unlinked. */
export async function unlinkEveryProvider(learnerId: string) {
  for (const { providerId, accountName } of await providerLinksOf(learnerId)) {
    await deleteProviderLink(learnerId, providerId);
    if (accountName) await releaseProviderAccount(providerId, accountName, learnerId);
  }
}
