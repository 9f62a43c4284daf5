import { createHash } from 'node:crypto';
import { forEachConcurrently } from '../concurrency';
import { getLearnerProfile, getLearnerSkills, type LearnerProfile } from '../data/learners';
import { getPublishedPools, putPoolEntry, putPublishedPools, withdrawFromPools, type PoolEntry } from '../data/pools';
import { consentsPlaceFree, consentsToMatching, PLACE_FREE_STYLES } from './visibility';

/**
 * Candidate pools: `P<prefecture>` holds consenting learners who live in or want to work
 * in that prefecture; `S<style>` holds those with place-free consent who want a place-free
 * style (remote, side job) anywhere (shared/domain/visibility.ts). A learner without
 * consent is in no pool. Pools are derived from the profile and the skill summary and
 * re-synced whenever either changes; readers still check the rule on the profile itself,
 * so a revocation takes effect at once (and entries written under an older rule never show).
 */
export { PLACE_FREE_STYLES };

export const placePool = (prefecture: string) => `P${prefecture}`;
export const stylePool = (style: string) => `S${style}`;

export function poolsOf(profile: LearnerProfile | undefined): string[] {
  if (!consentsToMatching(profile)) return [];
  const pools = new Set([placePool(profile.residence.prefecture), ...profile.workPrefectures.map(placePool)]);
  if (consentsPlaceFree(profile)) for (const style of PLACE_FREE_STYLES) if (profile.workStyles.includes(style)) pools.add(stylePool(style));
  return [...pools].sort();
}

/**
 * Publishes the learner's entry to every pool they belong in and withdraws it from the
 * others. The pools item is written first without a content hash (so a sync that stops
 * half way is redone) and last with it; an unchanged learner costs three reads.
 */
export async function syncCandidatePools(learnerId: string): Promise<void> {
  const [profile, skills, published] = await Promise.all([getLearnerProfile(learnerId), getLearnerSkills(learnerId), getPublishedPools(learnerId)]);
  // Orders syncs: a later profile change or derivation always has a greater basis.
  const basis = `${profile?.updatedAt ?? ''}|${String(skills?.basisSeq ?? 0).padStart(10, '0')}`;
  const wanted = poolsOf(profile);
  const content =
    profile && wanted.length > 0
      ? {
          learnerId,
          residencePrefecture: profile.residence.prefecture,
          workPrefectures: profile.workPrefectures,
          workStyles: profile.workStyles,
          turn: profile.turn.intent,
          verified: skills?.summary.verified ?? {},
          selfReported: skills?.summary.selfReported ?? {},
          readiness: skills?.summary.readiness ?? {},
        }
      : undefined;
  const contentHash = createHash('sha256').update(JSON.stringify({ wanted, content })).digest('base64url');
  if (published?.contentHash === contentHash) return;
  const withdrawn = (published?.pools ?? []).filter((pool) => !wanted.includes(pool));
  await putPublishedPools(learnerId, [...new Set([...wanted, ...withdrawn])], basis);
  if (content) {
    const entry: PoolEntry = { ...content, basis };
    await forEachConcurrently(wanted, 8, (pool) => putPoolEntry(pool, entry));
  }
  await withdrawFromPools(learnerId, withdrawn, basis);
  await putPublishedPools(learnerId, wanted, basis, contentHash);
}
