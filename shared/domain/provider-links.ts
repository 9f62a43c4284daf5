import { auditSubject, recordAudit } from '../data/audit';
import {
  deleteProviderAccount,
  deleteProviderLink,
  noteLmsAccount,
  providerLinksOf,
  putProviderAccount,
  putProviderLink,
  type ProviderLink,
} from '../data/provider-links';
import { invalid } from '../errors';
import type { Actor } from '../identity';
import { NOT_REPORTABLE_LEARNER } from './completions';

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
  if (removed) {
    await forgetLmsAccounts(removed);
    await recordAudit(actor, 'provider-unlinked', auditSubject.learner(actor.sub), now, { providerId });
  }
  return { providerId, linked: false };
}

/** A link's account names stand for nobody once the link is gone. */
async function forgetLmsAccounts(link: ProviderLink) {
  for (const name of link.lmsAccounts ?? []) await deleteProviderAccount(link.providerId, name, link.learnerId);
}

/**
 * A provider says which learner an account name of its learning system is, so that its
 * xAPI statements about that account reach them. Only for a learner who linked the
 * provider (the same answer as an unknown learner otherwise): the provider vouches for its
 * own accounts, as it does for the completions it reports; a learner cannot claim one.
 */
export async function mapLmsAccount(actor: Actor & { org: string }, learnerId: string, accountName: string, now: Date) {
  if (!(await noteLmsAccount(learnerId, actor.org, accountName))) throw invalid(NOT_REPORTABLE_LEARNER);
  await putProviderAccount(actor.org, accountName, learnerId);
  await recordAudit(actor, 'lms-account-mapped', auditSubject.learner(learnerId), now, { providerId: actor.org });
  return { accountName, learnerId };
}

/** The providers a learner linked, as they see them (their profile and their export). */
export async function providerLinksView(learnerId: string) {
  return (await providerLinksOf(learnerId)).map(({ providerId, linkedAt, lmsAccounts }) => ({
    providerId,
    linkedAt,
    ...(lmsAccounts?.size ? { lmsAccounts: [...lmsAccounts].sort() } : {}),
  }));
}

/** Erasure: every link goes, and the account names on it, so a later profile under the same account starts unlinked. */
export async function unlinkEveryProvider(learnerId: string) {
  for (const link of await providerLinksOf(learnerId)) {
    await deleteProviderLink(learnerId, link.providerId);
    await forgetLmsAccounts(link);
  }
}
