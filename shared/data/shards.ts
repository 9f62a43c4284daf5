import { createHash } from 'node:crypto';

/**
 * Which of `count` shards an id falls in: stable across processes and releases (the first
 * four bytes of its SHA-256), so the same learner always lands in the same shard. Spreads
 * writes that would otherwise share one partition key over `count` partitions.
 */
export function shardOf(id: string, count: number): number {
  return createHash('sha256').update(id).digest().readUInt32BE(0) % count;
}

export const shardLabel = (shard: number) => String(shard).padStart(3, '0');
