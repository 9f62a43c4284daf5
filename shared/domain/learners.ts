import { getLearnerContact, getLearnerProfile, putLearnerContact, putLearnerProfile, type LearnerProfile } from '../data/learners';
import { invalid, notFound } from '../errors';
import type { Actor } from '../identity';
import { normalizeLocalGovernmentCode } from '../ids';
import type { ProfileInput } from '../schemas/learners';
import { syncCandidatePools } from './candidate-pool';
import { withdrawStaleProposals } from './proposal-withdrawal';
import { providerLinksView } from './provider-links';

export type { ProfileInput } from '../schemas/learners';

/**
 * Creates or replaces the caller's profile. Consent is explicit and timestamped; every
 * change is kept in its history. Contact details go to their own item.
 */
export async function saveOwnProfile(actor: Actor, input: ProfileInput, now: Date) {
  const code = normalizeLocalGovernmentCode(input.residence.municipality);
  if (!code.ok) throw invalid(code.reason);
  if (input.residence.prefecture && input.residence.prefecture !== code.prefecture) {
    throw invalid(`Municipality ${code.code} is in prefecture ${code.prefecture}, not ${input.residence.prefecture}.`);
  }
  if (input.turn.hometownPrefecture === undefined && (input.turn.intent === 'u-turn' || input.turn.intent === 'j-turn')) {
    throw invalid(`A ${input.turn.intent} is a return towards a hometown: give turn.hometownPrefecture.`);
  }
  const at = now.toISOString();
  const previous = await getLearnerProfile(actor.sub);
  const placeFree = input.placeFreeConsent ?? previous?.consent.placeFree ?? false;
  const consentChanged = !previous || previous.consent.matching !== input.matchingConsent || previous.consent.placeFree !== placeFree;
  const profile: LearnerProfile = {
    learnerId: actor.sub,
    residence: { prefecture: code.prefecture, municipality: code.code },
    workPrefectures: [...input.workPrefectures].sort(),
    workStyles: [...input.workStyles].sort(),
    turn: input.turn,
    consent: consentChanged ? { matching: input.matchingConsent, placeFree, changedAt: at } : previous.consent,
    consentHistory: consentChanged
      ? [...(previous?.consentHistory ?? []), { matching: input.matchingConsent, placeFree, at }].slice(-100)
      : previous.consentHistory,
    createdAt: previous?.createdAt ?? at,
    updatedAt: at,
  };
  if (input.contact) await putLearnerContact(actor.sub, input.contact);
  await putLearnerProfile(profile);
  await syncCandidatePools(actor.sub);
  // Consent, places or styles given up take the open proposals they no longer cover with them.
  if (previous) await withdrawStaleProposals(actor.sub, profile);
  return { created: !previous, view: await ownProfileView(actor.sub, profile) };
}

export function profileView(profile: LearnerProfile) {
  const { consentHistory: _history, createdAt: _created, ...view } = profile;
  return view;
}

async function ownProfileView(learnerId: string, profile: LearnerProfile) {
  const contact = await getLearnerContact(learnerId);
  return { ...profileView(profile), ...(contact ? { contact } : {}) };
}

export async function readOwnProfile(actor: Actor) {
  const profile = await getLearnerProfile(actor.sub);
  if (!profile) throw notFound('You have no profile yet: PUT /v1/learners/me creates it.');
  const [view, providerLinks] = await Promise.all([ownProfileView(actor.sub, profile), providerLinksView(actor.sub)]);
  return { ...view, providerLinks };
}
