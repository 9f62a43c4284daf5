import type { Instance } from '../../shared/matching/instance';

/**
 * Seeded random instances shaped like a national residency match: openings differ widely
 * in popularity, candidates rank mostly popular openings, and openings broadly agree on
 * which candidates are strong. Same options → same instance, on any machine.
 */

export interface GeneratorOptions {
  candidates: number;
  openings: number;
  /** Total seats; every opening gets at least one, so seats ≥ openings. */
  seats: number;
  minList: number;
  maxList: number;
  seed: number;
}

/** The size of the US main residency match, the scale this module must handle. */
export const residencySize: GeneratorOptions = {
  candidates: 45_000,
  openings: 6_400,
  seats: 41_500,
  minList: 10,
  maxList: 30,
  seed: 1,
};

/** mulberry32: tiny, fast, and good enough for test data; not for anything secret. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function generateInstance(options: GeneratorOptions): Instance {
  checkOptions(options);
  const random = mulberry32(options.seed);
  const normal = gaussian(random);
  const openingCount = options.openings;

  // Log-normal popularity: among thousands of openings the most wanted draw 50-100x the median interest.
  const popularity = Float64Array.from({ length: openingCount }, () => Math.exp(1.2 * normal()));
  const pick = weightedPicker(popularity, random);

  // A shared notion of candidate strength, so openings' rankings agree but not perfectly.
  const strength = Float64Array.from({ length: options.candidates }, () => normal());

  const candidateLists: number[][] = [];
  const applicants: { candidate: number; score: number }[][] = Array.from({ length: openingCount }, () => []);
  const chosenBy = new Int32Array(openingCount).fill(-1);
  const maxLength = Math.min(options.maxList, openingCount);
  const minLength = Math.min(options.minList, maxLength);
  for (let c = 0; c < options.candidates; c++) {
    const length = minLength + Math.floor(random() * (maxLength - minLength + 1));
    // Drawing without replacement by popularity already orders the list: earlier draws
    // tend to be the popular openings, which is how real candidates rank.
    const list: number[] = [];
    let attempts = 0;
    while (list.length < length) {
      let o = pick();
      if (chosenBy[o] === c) {
        // When a few openings hold most of the weight, rejection can stall: fall back to a scan.
        if (++attempts <= 20 * length) continue;
        o = firstNotChosen(chosenBy, c);
      }
      chosenBy[o] = c;
      list.push(o);
      applicants[o]!.push({ candidate: c, score: strength[c]! + normal() });
    }
    candidateLists.push(list);
  }

  const capacities = splitSeats(options.seats, popularity, random);
  return {
    candidates: candidateLists.map((list, c) => ({ id: candidateId(c), prefs: list.map(openingId) })),
    openings: applicants.map((list, o) => ({
      id: openingId(o),
      capacity: capacities[o]!,
      prefs: list.sort((a, b) => b.score - a.score || a.candidate - b.candidate).map((a) => candidateId(a.candidate)),
    })),
  };
}

const candidateId = (index: number): string => `c${index + 1}`;
const openingId = (index: number): string => `o${index + 1}`;

function checkOptions(options: GeneratorOptions): void {
  const { candidates, openings, seats, minList, maxList, seed } = options;
  for (const [name, value] of Object.entries({ candidates, openings, seats, minList, maxList, seed })) {
    if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${name} must be a whole number ≥ 0, got ${value}`);
  }
  if (seats < openings) {
    throw new RangeError(`seats (${seats}) must be at least openings (${openings}): each opening has ≥ 1 seat`);
  }
  if (minList > maxList) throw new RangeError(`minList (${minList}) must not exceed maxList (${maxList})`);
}

/** Box–Muller: standard normal samples from the uniform source. */
function gaussian(random: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/** Index drawn with probability proportional to its weight, by binary search on running sums. */
function weightedPicker(weights: Float64Array, random: () => number): () => number {
  const cumulative = new Float64Array(weights.length);
  let total = 0;
  weights.forEach((w, i) => {
    total += w;
    cumulative[i] = total;
  });
  return () => {
    const target = random() * total;
    let low = 0;
    let high = weights.length - 1;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (cumulative[mid]! > target) high = mid;
      else low = mid + 1;
    }
    return low;
  };
}

/** Exists whenever the list is shorter than the number of openings, which the caller ensures. */
function firstNotChosen(chosenBy: Int32Array, candidate: number): number {
  let o = 0;
  while (chosenBy[o] === candidate) o++;
  return o;
}

/** One seat each, the rest spread with the square root of popularity: big programmes tend to be popular ones. */
function splitSeats(seats: number, popularity: Float64Array, random: () => number): Int32Array {
  const capacities = new Int32Array(popularity.length).fill(1);
  if (popularity.length === 0) return capacities;
  const pick = weightedPicker(popularity.map(Math.sqrt), random);
  for (let extra = seats - popularity.length; extra > 0; extra--) capacities[pick()]!++;
  return capacities;
}

/**
 * The instance with `regions` regional caps over blocks of consecutive openings (opening
 * popularity is drawn independently of index, so every block is a similar mix), each
 * capped at `share` of its seats, rounded down: with ~98 % of seats filled uncapped, a
 * share of 0.9 makes every cap bind. Default targets and order.
 */
export function withRegionalCaps(instance: Instance, regions: number, share: number): Instance {
  const count = instance.openings.length;
  return {
    ...instance,
    regions: Array.from({ length: regions }, (_, r) => {
      const block = instance.openings.slice(Math.floor((r * count) / regions), Math.floor(((r + 1) * count) / regions));
      const seats = block.reduce((sum, o) => sum + o.capacity, 0);
      return { id: `region-${r + 1}`, openings: block.map((o) => o.id), cap: Math.floor(share * seats) };
    }),
  };
}
