import * as z from 'zod/mini';

/**
 * A two-sided matching instance: candidates rank openings, openings rank candidates and
 * offer `capacity` seats. Lists are most preferred first; a pair is acceptable only when
 * each side lists the other, so a one-sided listing is simply never matched.
 *
 * Optional `regions` cap the seats filled over a group of openings (Kamada–Kojima regional
 * caps): each opening in at most one region, openings in none are uncapped. `targets`
 * (per opening, summing to at most the cap) are the seats each opening fills first;
 * `order` is the round-robin order in which the rest of the cap is handed out. Defaults
 * are in shared/matching/regions.ts.
 */

const id = z.string().check(z.minLength(1));

// Strict objects: a misspelt field ("capcity") is reported rather than silently dropped.
const candidateSchema = z.strictObject({ id, prefs: z.array(z.string()) });
const openingSchema = z.strictObject({
  id,
  capacity: z.int().check(z.minimum(1)),
  prefs: z.array(z.string()),
});
const seats = z.int().check(z.minimum(0));
const regionSchema = z.strictObject({
  id,
  openings: z.array(z.string()),
  cap: seats,
  targets: z.optional(z.record(z.string(), seats)),
  order: z.optional(z.array(z.string())),
});
export const instanceSchema = z.strictObject({
  candidates: z.array(candidateSchema),
  openings: z.array(openingSchema),
  regions: z.optional(z.array(regionSchema)),
});

export type Candidate = z.infer<typeof candidateSchema>;
export type Opening = z.infer<typeof openingSchema>;
export type Region = z.infer<typeof regionSchema>;
export type Instance = z.infer<typeof instanceSchema>;

export interface InstanceError {
  /** JSON-path-like location, e.g. `$.openings[2].capacity`. */
  path: string;
  message: string;
}

export type ParseInstanceResult = { ok: true; instance: Instance } | { ok: false; errors: InstanceError[] };

/**
 * Validates shape and meaning. Shape and meaning are checked on the same input in one go,
 * so a person fixing a file sees every problem at once rather than one round at a time.
 */
export function parseInstance(input: unknown): ParseInstanceResult {
  const shape = instanceSchema.safeParse(input, { reportInput: true });
  const shapeErrors: InstanceError[] = shape.success ? [] : shape.error.issues.map((issue) => ({ path: jsonPath(issue.path), message: explainIssue(issue) }));
  // concat, not push(...): a systematically broken file can yield more errors than a call has arguments.
  const errors = shapeErrors.concat(meaningErrors(input));
  return shape.success && errors.length === 0 ? { ok: true, instance: shape.data } : { ok: false, errors };
}

export function jsonPath(path: readonly PropertyKey[]): string {
  return (
    '$' +
    path
      .map((key) =>
        typeof key === 'number' ? `[${key}]` : typeof key === 'string' && /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(String(key))}]`,
      )
      .join('')
  );
}

const fieldHints: Record<string, string> = {
  candidates: 'a list of candidates like {"id": "c1", "prefs": ["o1"]}',
  openings: 'a list of openings like {"id": "o1", "capacity": 1, "prefs": ["c1"]}',
  id: 'a non-empty string',
  prefs: 'a list of ids, most preferred first (may be empty)',
  capacity: 'a whole number of seats, 1 or more',
  regions: 'a list of regions like {"id": "tokyo-area", "openings": ["o1"], "cap": 500}',
};

/** Inside `regions`, the same field names mean something else. */
const regionFieldHints: Record<string, string> = {
  id: 'a non-empty string',
  openings: "a list of opening ids, the region's openings",
  cap: 'a whole number of seats, 0 or more',
  targets: 'an object giving each of the region\'s openings its target seats, like {"o1": 3}',
  order: "a list of the region's opening ids, each once (the round-robin order)",
};

function explainIssue(issue: z.core.$ZodIssue): string {
  const last = issue.path[issue.path.length - 1];
  const field = typeof last === 'string' ? last : undefined;
  const inRegion = issue.path[0] === 'regions' && issue.path.length > 2;
  const inTargets = inRegion && issue.path[2] === 'targets' && issue.path.length === 4;
  const hint = field === undefined ? undefined : inTargets ? 'a whole number of seats, 0 or more' : (inRegion ? regionFieldHints : fieldHints)[field];
  const got = describeValue(issue.input);
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined && field !== undefined) {
        return `missing field "${field}": expected ${hint ?? issue.expected}`;
      }
      if (field === 'capacity') return `capacity must be ${fieldHints.capacity}; got ${got}`;
      if (inTargets) return `a target must be ${hint}; got ${got}`;
      if (inRegion && field === 'cap') return `cap must be ${hint}; got ${got}`;
      if (typeof last === 'number') {
        return `each entry must be ${issue.expected === 'string' ? 'an id string' : `an ${issue.expected}`}; got ${got}`;
      }
      return `expected ${hint ?? issue.expected}; got ${got}`;
    case 'too_small':
      if (field === 'capacity') {
        return `capacity must be at least 1 (an opening with no seats cannot be matched); got ${got}`;
      }
      if (field === 'id') return 'id must not be empty';
      if (inTargets) return `a target must be 0 or more; got ${got}`;
      if (inRegion && field === 'cap') return `cap must be 0 or more; got ${got}`;
      return `too small: minimum is ${String(issue.minimum)}; got ${got}`;
    case 'unrecognized_keys': {
      const many = issue.keys.length > 1;
      const names = issue.keys.map((k) => `"${k}"`).join(', ');
      return `unknown field${many ? 's' : ''} ${names}: remove ${many ? 'them' : 'it'} or check the spelling`;
    }
    default:
      return issue.message;
  }
}

function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  const text = JSON.stringify(value);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

interface LooseEntry {
  id: string | undefined;
  prefs: readonly unknown[];
}

/** Whatever entries are well-formed enough to check ids; shape errors are reported elsewhere. */
function looseEntries(root: unknown, side: 'candidates' | 'openings'): LooseEntry[] {
  const list = isRecord(root) ? root[side] : undefined;
  if (!Array.isArray(list)) return [];
  return list.map((entry: unknown) => ({
    id: isRecord(entry) && typeof entry.id === 'string' && entry.id !== '' ? entry.id : undefined,
    prefs: isRecord(entry) && Array.isArray(entry.prefs) ? entry.prefs : [],
  }));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function meaningErrors(root: unknown): InstanceError[] {
  const errors: InstanceError[] = [];
  const candidates = looseEntries(root, 'candidates');
  const openings = looseEntries(root, 'openings');
  const candidateAt = firstPositions(candidates, 'candidates', 'candidate', errors);
  const openingAt = firstPositions(openings, 'openings', 'opening', errors);

  for (const [openingId, index] of openingAt) {
    const candidateIndex = candidateAt.get(openingId);
    if (candidateIndex !== undefined) {
      errors.push({
        path: `$.openings[${index}].id`,
        message: `"${openingId}" is already the id of $.candidates[${candidateIndex}]; a candidate and an opening cannot share an id`,
      });
    }
  }
  checkPrefs(candidates, 'candidates', { ids: openingAt, kind: 'opening', count: openings.length }, candidateAt, errors);
  checkPrefs(openings, 'openings', { ids: candidateAt, kind: 'candidate', count: candidates.length }, openingAt, errors);
  checkRegions(root, openingAt, candidateAt, errors);
  return errors;
}

/** Maps each id to its first position and reports later repeats. */
function firstPositions(entries: readonly LooseEntry[], side: string, kind: string, errors: InstanceError[]): Map<string, number> {
  const firstAt = new Map<string, number>();
  entries.forEach((entry, index) => {
    if (entry.id === undefined) return;
    const first = firstAt.get(entry.id);
    if (first === undefined) firstAt.set(entry.id, index);
    else {
      const message = `${kind} id "${entry.id}" is already used by $.${side}[${first}]; ids must be unique`;
      errors.push({ path: `$.${side}[${index}].id`, message });
    }
  });
  return firstAt;
}

function checkPrefs(
  entries: readonly LooseEntry[],
  side: 'candidates' | 'openings',
  target: { ids: ReadonlyMap<string, number>; kind: 'candidate' | 'opening'; count: number },
  ownSide: ReadonlyMap<string, number>,
  errors: InstanceError[],
): void {
  const owner = side === 'candidates' ? 'a candidate' : 'an opening';
  // Duplicate detection by stamping the target's index: a Map per list is measurable at 45,000 lists.
  const seenInList = new Int32Array(target.count).fill(-1);
  const seenAtPosition = new Int32Array(target.count);
  const unknownSeenAt = new Map<string, number>();
  entries.forEach((entry, index) => {
    unknownSeenAt.clear();
    entry.prefs.forEach((pref, position) => {
      if (typeof pref !== 'string') return; // reported as a shape error
      const known = target.ids.get(pref);
      let first: number | undefined;
      if (known !== undefined) {
        if (seenInList[known] === index) first = seenAtPosition[known];
        else {
          seenInList[known] = index;
          seenAtPosition[known] = position;
        }
      } else {
        const message = ownSide.has(pref)
          ? `"${pref}" is ${target.kind === 'opening' ? 'a candidate' : 'an opening'}; ${owner} can only list ${target.kind}s`
          : `"${pref}" is not the id of any ${target.kind}; check the spelling or add that ${target.kind}`;
        errors.push({ path: prefPath(side, index, position), message });
        first = unknownSeenAt.get(pref);
        if (first === undefined) unknownSeenAt.set(pref, position);
      }
      if (first !== undefined) {
        const message = `"${pref}" is listed twice (first at prefs[${first}]); list each ${target.kind} once`;
        errors.push({ path: prefPath(side, index, position), message });
      }
    });
  });
}

/** Built only on error: building one per entry (1.8M at full size) would cost more than the checks. */
function prefPath(side: string, index: number, position: number): string {
  return `$.${side}[${index}].prefs[${position}]`;
}

/**
 * Regions: unique ids; each listed opening known, once per region and in at most one
 * region; targets (when given) one per opening of the region, each within the opening's
 * capacity, adding up to at most the cap; order (when given) the region's openings, each once.
 */
function checkRegions(root: unknown, openingAt: ReadonlyMap<string, number>, candidateAt: ReadonlyMap<string, number>, errors: InstanceError[]): void {
  const regions = isRecord(root) && Array.isArray(root.regions) ? root.regions : [];
  const openingList = isRecord(root) && Array.isArray(root.openings) ? root.openings : [];
  const capacityOf = (openingId: string): number | undefined => {
    const entry: unknown = openingList[openingAt.get(openingId) ?? -1];
    return isRecord(entry) && Number.isInteger(entry.capacity) ? (entry.capacity as number) : undefined;
  };
  const regionIdAt = new Map<string, number>();
  const regionOfOpening = new Map<string, { id: string; index: number }>();
  regions.forEach((region: unknown, r: number) => {
    if (!isRecord(region)) return;
    const at = (...rest: (string | number)[]) => jsonPath(['regions', r, ...rest]);
    const regionId = typeof region.id === 'string' && region.id !== '' ? region.id : `#${r}`;
    if (typeof region.id === 'string' && region.id !== '') {
      const first = regionIdAt.get(region.id);
      if (first === undefined) regionIdAt.set(region.id, r);
      else errors.push({ path: at('id'), message: `region id "${region.id}" is already used by $.regions[${first}]; ids must be unique` });
    }
    const members = new Set<string>();
    const listed = Array.isArray(region.openings) ? region.openings : [];
    listed.forEach((openingId: unknown, k: number) => {
      if (typeof openingId !== 'string') return; // a shape error
      if (!openingAt.has(openingId)) {
        const message = candidateAt.has(openingId)
          ? `"${openingId}" is a candidate; a region can only list openings`
          : `"${openingId}" is not the id of any opening; check the spelling or add that opening`;
        errors.push({ path: at('openings', k), message });
        return;
      }
      if (members.has(openingId)) {
        errors.push({ path: at('openings', k), message: `"${openingId}" is listed twice in this region; list each opening once` });
        return;
      }
      members.add(openingId);
      const other = regionOfOpening.get(openingId);
      if (other !== undefined) {
        const message = `"${openingId}" is already in region "${other.id}" ($.regions[${other.index}]); an opening can be in at most one region`;
        errors.push({ path: at('openings', k), message });
      } else regionOfOpening.set(openingId, { id: regionId, index: r });
    });
    const cap = Number.isInteger(region.cap) ? (region.cap as number) : undefined;
    if (isRecord(region.targets)) checkTargets(region.targets, members, cap, capacityOf, at, errors);
    if (Array.isArray(region.order)) checkOrder(region.order, members, at, errors);
  });
}

function checkTargets(
  targets: Record<string, unknown>,
  members: ReadonlySet<string>,
  cap: number | undefined,
  capacityOf: (openingId: string) => number | undefined,
  at: (...rest: (string | number)[]) => string,
  errors: InstanceError[],
): void {
  let sum = 0;
  for (const [openingId, target] of Object.entries(targets)) {
    if (!members.has(openingId)) {
      errors.push({ path: at('targets', openingId), message: `"${openingId}" is not an opening of this region; targets name the region's openings` });
      continue;
    }
    if (!Number.isInteger(target)) continue; // a shape error
    sum += target as number;
    const capacity = capacityOf(openingId);
    if (capacity !== undefined && (target as number) > capacity) {
      errors.push({ path: at('targets', openingId), message: `target ${String(target)} is above the opening's capacity ${capacity}` });
    }
  }
  const missing = [...members].filter((openingId) => !Object.hasOwn(targets, openingId));
  if (missing.length > 0) {
    errors.push({
      path: at('targets'),
      message: `give a target for every opening of the region, or none (then they follow the seats); missing ${quoteList(missing)}`,
    });
  }
  if (cap !== undefined && sum > cap) {
    errors.push({ path: at('targets'), message: `targets add up to ${sum}, above the region's cap ${cap}` });
  }
}

function checkOrder(order: readonly unknown[], members: ReadonlySet<string>, at: (...rest: (string | number)[]) => string, errors: InstanceError[]): void {
  const seen = new Map<string, number>();
  order.forEach((openingId, k) => {
    if (typeof openingId !== 'string') return; // a shape error
    if (!members.has(openingId)) {
      errors.push({ path: at('order', k), message: `"${openingId}" is not an opening of this region; order lists the region's openings` });
      return;
    }
    const first = seen.get(openingId);
    if (first !== undefined)
      errors.push({ path: at('order', k), message: `"${openingId}" is listed twice (first at order[${first}]); list each opening once` });
    else seen.set(openingId, k);
  });
  const missing = [...members].filter((openingId) => !seen.has(openingId));
  if (missing.length > 0) {
    errors.push({ path: at('order'), message: `order must list every opening of the region exactly once; missing ${quoteList(missing)}` });
  }
}

/** At most a few names: a region of hundreds of openings would flood the message. */
function quoteList(ids: readonly string[]): string {
  const shown = ids.slice(0, 5).map((x) => `"${x}"`);
  return ids.length > 5 ? `${shown.join(', ')} and ${ids.length - 5} more` : shown.join(', ');
}
