import { createHash } from 'node:crypto';
import { forEachConcurrently } from '../concurrency';
import { getLearnerProfile, type LearnerProfile } from '../data/learners';
import { getPublishedPools, putPoolEntry, putPublishedPools, withdrawFromPools, type PoolEntry } from '../data/pools';
import { shardLabel, shardOf } from '../data/shards';
import { evidenceStamp, loadEvidence, standingsOf, type Evidence } from './evidence';
import { consentsPlaceFree, consentsToMatching, PLACE_FREE_STYLES } from './visibility';

/**
 * Candidate pools: `P<prefecture>` holds consenting learners who live in or want to work
 * in that prefecture; `S<style>#<shard>` holds those with place-free consent who want a
 * place-free style (remote, side job) anywhere (shared/domain/visibility.ts), each learner
 * in one of STYLE_POOL_SHARDS shards. A learner without
 * consent is in no pool. Pools are derived from the profile and the skill summary and
 * re-synced whenever either changes; readers still check the rule on the profile itself,
 * so a revocation takes effect at once (and entries written under an older rule never show).
 */
export { PLACE_FREE_STYLES };

export const placePool = (prefecture: string) => `P${prefecture}`;
/**
 * A style pool takes a write from every place-free learner in the country, which one
 * partition (1,000 WCU/s) would cap: it is spread by learner over this many. Changing it
 * moves entries only when a rebuild re-syncs every learner's pools.
 */
export const STYLE_POOL_SHARDS = 8;
const stylePool = (style: string, shard: number) => `S${style}#${shardLabel(shard)}`;
/** The shard of the style pool this learner's entry is in. */
export const stylePoolOf = (style: string, learnerId: string) => stylePool(style, shardOf(learnerId, STYLE_POOL_SHARDS));
/** Every shard of a style pool: what a place-free opening draws on. */
export const stylePools = (style: string) => Array.from({ length: STYLE_POOL_SHARDS }, (_, shard) => stylePool(style, shard));
/** The style pools that may hold this learner's entries: their shards, and the unsharded pools of stores older than shards (erasure). */
export const everyStylePoolOf = (learnerId: string) => PLACE_FREE_STYLES.flatMap((style) => [stylePoolOf(style, learnerId), `S${style}`]);

export function poolsOf(profile: LearnerProfile | undefined): string[] {
  if (!consentsToMatching(profile)) return [];
  const pools = new Set([placePool(profile.residence.prefecture), ...profile.workPrefectures.map(placePool)]);
  if (consentsPlaceFree(profile))
    for (const style of PLACE_FREE_STYLES) if (profile.workStyles.includes(style)) pools.add(stylePoolOf(style, profile.learnerId));
  return [...pools].sort();
}

/**
 * Publishes the learner's entry to every pool they belong in and withdraws it from the
 * others, from the profile and the evidence given (read now if not given). Nothing is
 * written when the entry and the pools are what was last published. When pools are
 * withdrawn, the pools item is written first without a content hash (so a sync that stops
 * half way is redone) and last with it.
 */
export async function syncCandidatePools(learnerId: string, given?: Evidence): Promise<void> {
  const [profile, published, evidence] = await Promise.all([getLearnerProfile(learnerId), getPublishedPools(learnerId), given ?? loadEvidence(learnerId)]);
  const standings = standingsOf(evidence);
  // Orders syncs: more catalog versions, a later profile change or more evidence is newer.
  const basis = [String(Object.keys(standings).length).padStart(3, '0'), profile?.updatedAt ?? '', String(evidenceStamp(evidence)).padStart(10, '0')].join('|');
  const wanted = poolsOf(profile);
  const content =
    profile && wanted.length > 0
      ? {
          learnerId,
          residencePrefecture: profile.residence.prefecture,
          workPrefectures: profile.workPrefectures,
          workStyles: profile.workStyles,
          turn: profile.turn.intent,
          standings,
        }
      : undefined;
  const contentHash = createHash('sha256').update(JSON.stringify({ wanted, content })).digest('base64url');
  if (published?.contentHash === contentHash) return;
  const withdrawn = (published?.pools ?? []).filter((pool) => !wanted.includes(pool));
  const samePools = published?.contentHash !== undefined && withdrawn.length === 0 && wanted.every((pool) => published.pools.includes(pool));
  if (!samePools) await putPublishedPools(learnerId, [...new Set([...wanted, ...withdrawn])], basis);
  if (content) {
    const entry: PoolEntry = { ...content, basis };
    await forEachConcurrently(wanted, 8, (pool) => putPoolEntry(pool, entry));
  }
  await withdrawFromPools(learnerId, withdrawn, basis);
  await putPublishedPools(learnerId, wanted, basis, contentHash);
}
