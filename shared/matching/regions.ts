import type { Instance, Region } from './instance';

/**
 * A region of an instance with its defaults filled in: `openings` in the region's
 * round-robin order and `targets[k]` the target of `openings[k]`.
 *
 * Defaults (Kamada–Kojima leave targets and order to the designer; these are ours):
 * - order: the region's `openings` as listed;
 * - targets: in proportion to seats, rounded down: target = min(capacity,
 *   floor(cap × capacity / seats of the region)), computed exactly in integers. Rounding
 *   down keeps the sum at or under the cap; the seats it leaves (fewer than the number of
 *   openings) are handed out by the round robin like any seat above the targets.
 */
export interface ResolvedRegion {
  id: string;
  cap: number;
  openings: string[];
  targets: number[];
}

export function resolveRegions(instance: Instance): ResolvedRegion[] {
  if (instance.regions === undefined) return [];
  const capacityOf = new Map(instance.openings.map((o) => [o.id, o.capacity]));
  return instance.regions.map((region) => resolveRegion(region, capacityOf));
}

function resolveRegion(region: Region, capacityOf: ReadonlyMap<string, number>): ResolvedRegion {
  const openings = region.order ?? region.openings;
  const capacities = openings.map((id) => capacityOf.get(id) ?? 0);
  const given = region.targets;
  // hasOwn: an opening id like "constructor" must not read the object's prototype.
  const targets = given === undefined ? proportionalTargets(region.cap, capacities) : openings.map((id) => (Object.hasOwn(given, id) ? given[id]! : 0));
  return { id: region.id, cap: region.cap, openings: [...openings], targets };
}

export function proportionalTargets(cap: number, capacities: readonly number[]): number[] {
  const seats = capacities.reduce((sum, c) => sum + c, 0);
  if (seats === 0) return capacities.map(() => 0);
  return capacities.map((capacity) => Math.min(capacity, floorDivide(cap, capacity, seats)));
}

/** floor(a × b / d) for non-negative integers, exact even when a × b exceeds 2^53. */
function floorDivide(a: number, b: number, d: number): number {
  const product = a * b;
  if (Number.isSafeInteger(product)) {
    // The float quotient can round up across an integer; step back if it did.
    const q = Math.floor(product / d);
    return q * d > product ? q - 1 : q;
  }
  return Number((BigInt(a) * BigInt(b)) / BigInt(d));
}
