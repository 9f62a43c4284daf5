import { randomBytes } from 'node:crypto';
import { isAdmin, overseesPrefecture } from '../access';
import { forEachConcurrently } from '../concurrency';
import { auditSubject, recordAudit, recordAuditOfMany } from '../data/audit';
import {
  claimParticipation,
  cycleOpenings,
  getCandidateList,
  getCandidateLists,
  getCycle,
  getCycleOpening,
  getOpeningList,
  getParticipation,
  interestedIn,
  putCandidateList,
  putNewCycle,
  putOpeningList,
  deleteCandidateList,
  releaseParticipation,
  type CycleOpening,
  type ListSource,
  type MatchCycle,
} from '../data/match-cycles';
import { allOpenOpeningsOfPrefecture, getOpening, type Opening } from '../data/openings';
import { bodyFieldErrors, conflict, forbidden, invalid, notFound } from '../errors';
import type { Actor } from '../identity';
import { PREFECTURE_CODES } from '../ids';
import { compareFits, scoreCandidate, type Fit } from '../matching/score';
import { japanDate } from '../time/japan-time';
import { anonymousHandle, catalogOfOpening, currentProfiles, type CandidateProfile } from './candidates';
import { loadEvidence, standingsOf } from './evidence';
import { ownsOpening } from './openings';
import { needsOf } from './ranking';
import { rankOpening, readShortlist } from './ranking-read';
import { candidateFactsOf } from './standing';
import { isCandidateFor } from './visibility';

/**
 * Matching cycles: a center (its prefecture) or admin (the whole country) opens a cycle
 * over openings, with a ranking window. While it is open, candidates submit rank lists of
 * the cycle's openings that fit them and organisations rank, by handle, the candidates who
 * listed their openings; then the center or admin runs it (shared/domain/match-cycle-run.ts).
 */

export const LIST_TEXT = { own: 'your own list', theirs: 'its own list', fit: 'fit order: no list submitted' } as const;
export const listText = (source: ListSource, whose: 'own' | 'theirs') => (source === 'fit-order' ? LIST_TEXT.fit : LIST_TEXT[whose]);

export type CycleStatusView = 'scheduled' | 'ranking' | 'closed' | 'running' | 'matched';

export function statusOf(cycle: MatchCycle, now: Date): CycleStatusView {
  // Its run is over once its proposals reached their candidates, not before.
  if (cycle.status === 'matched' && cycle.publishedAt === undefined) return 'running';
  if (cycle.status !== 'open') return cycle.status;
  const at = now.getTime();
  if (at < Date.parse(cycle.window.from)) return 'scheduled';
  return at < Date.parse(cycle.window.to) ? 'ranking' : 'closed';
}

/** A prefectural cycle is its center's; a national one is admin's to run and every center's to read. */
export const runsCycle = (actor: Actor, cycle: MatchCycle) => (cycle.scope === 'national' ? isAdmin(actor) : overseesPrefecture(actor, cycle.prefecture));

const mayRead = (actor: Actor, cycle: MatchCycle) =>
  actor.role === 'center' ? cycle.scope === 'national' || overseesPrefecture(actor, cycle.prefecture) : actor.role !== 'provider';

/**
 * The openings a center or admin is shown one by one: a center its prefecture's; admin a
 * prefectural cycle's, but of a national cycle (thousands of openings) only the totals.
 */
export const showsOpeningToOverseer = (actor: Actor, cycle: MatchCycle, prefecture: string) =>
  actor.role === 'center' ? overseesPrefecture(actor, prefecture) : isAdmin(actor) && cycle.scope === 'prefecture';

/** The cycle, if the caller may see it (404 otherwise: a center does not learn of another prefecture's cycles). */
export async function cycleFor(actor: Actor, cycleId: string): Promise<MatchCycle> {
  const cycle = await getCycle(cycleId);
  if (!cycle || !mayRead(actor, cycle)) throw notFound(`No matching cycle ${cycleId} you can see.`);
  return cycle;
}

export interface CreateCycleInput {
  prefecture?: string;
  openings?: string[];
  window: { from: string; to: string };
  regions?: { id: string; prefectures: string[]; cap: number }[];
}

const isInScope = (opening: Opening, prefecture: string | undefined) => prefecture === undefined || opening.workplace.prefecture === prefecture;

async function openingsOfScope(prefecture: string | undefined): Promise<Opening[]> {
  if (prefecture) return allOpenOpeningsOfPrefecture(prefecture);
  const all: Opening[] = [];
  await forEachConcurrently(PREFECTURE_CODES, 8, async (code) => {
    all.push(...(await allOpenOpeningsOfPrefecture(code)));
  });
  return all.sort((a, b) => a.openingId.localeCompare(b.openingId));
}

async function chosenOpenings(ids: readonly string[], prefecture: string | undefined, today: string): Promise<Opening[]> {
  const found = new Map<string, Opening | undefined>();
  await forEachConcurrently(ids, 8, async (id) => {
    found.set(id, await getOpening(id));
  });
  const faults = ids.flatMap((id, i) => {
    const o = found.get(id);
    if (o?.status !== 'open' || o.deadline < today) return [`openings[${i}]: no open opening ${id} whose deadline has not passed`];
    if (!isInScope(o, prefecture)) return [`openings[${i}]: opening ${id} is not in prefecture ${prefecture}`];
    return [];
  });
  if (faults.length > 0) throw invalid('Some openings cannot take part in this cycle.', { errors: bodyFieldErrors(faults) });
  return ids.map((id) => found.get(id)!);
}

const DAY_MS = 24 * 3600_000;
const MAX_WINDOW_MS = 90 * DAY_MS;
const MAX_OPENED_AGO_MS = DAY_MS;

export async function openCycle(actor: Actor, input: CreateCycleInput, now: Date): Promise<MatchCycle> {
  const prefecture = input.prefecture ?? (actor.role === 'center' ? actor.prefecture : undefined);
  if (prefecture === undefined && !isAdmin(actor)) throw forbidden('Only admin may open a national cycle.');
  if (prefecture !== undefined && !overseesPrefecture(actor, prefecture))
    throw forbidden(`Only the center of prefecture ${prefecture} (or admin) may do this.`);
  const faults: string[] = [];
  const from = Date.parse(input.window.from);
  const to = Date.parse(input.window.to);
  if (to <= from) faults.push('window.to: the window must close after it opens');
  if (to <= now.getTime()) faults.push('window.to: the window must close in the future');
  // A person takes part in one cycle at a time: an endless window would hold them from every other.
  if (to - from > MAX_WINDOW_MS) faults.push(`window: a ranking window lasts at most ${MAX_WINDOW_MS / DAY_MS} days`);
  if (from < now.getTime() - MAX_OPENED_AGO_MS) faults.push(`window.from: a window may open at most ${MAX_OPENED_AGO_MS / DAY_MS} day in the past`);
  if (input.regions && prefecture !== undefined) faults.push('regions: regional caps belong to a national cycle');
  const regionOf = new Map<string, string>();
  const regionIds = new Map<string, number>();
  (input.regions ?? []).forEach((region, i) => {
    if (regionIds.has(region.id))
      faults.push(`regions[${i}].id: region id ${region.id} is already used by regions[${regionIds.get(region.id)}]; ids must be unique`);
    regionIds.set(region.id, i);
    for (const code of region.prefectures) {
      if (regionOf.has(code))
        faults.push(`regions[${i}].prefectures: prefecture ${code} is already in region ${regionOf.get(code)}; a prefecture is in at most one region`);
      regionOf.set(code, region.id);
    }
  });
  if (faults.length > 0) throw invalid('The cycle cannot be opened as asked.', { errors: bodyFieldErrors(faults) });
  const today = japanDate(now);
  const openings = input.openings
    ? await chosenOpenings(input.openings, prefecture, today)
    : (await openingsOfScope(prefecture)).filter((o) => o.deadline >= today);
  if (openings.length === 0) throw invalid('No open opening (with its deadline still ahead) can take part in this cycle.');
  const cycle: MatchCycle = {
    cycleId: `cyc_${randomBytes(10).toString('hex')}`,
    scope: prefecture === undefined ? 'national' : 'prefecture',
    ...(prefecture !== undefined ? { prefecture } : {}),
    window: { from: new Date(from).toISOString(), to: new Date(to).toISOString() },
    ...(input.regions ? { regions: input.regions } : {}),
    openings: openings.length,
    createdBy: { sub: actor.sub, role: actor.role },
    createdAt: now.toISOString(),
    status: 'open',
  };
  const members: CycleOpening[] = openings.map((o) => ({
    openingId: o.openingId,
    prefecture: o.workplace.prefecture,
    workStyle: o.workStyle,
    ownerOrg: o.ownerOrg,
  }));
  await putNewCycle(cycle, members);
  await recordAudit(actor, 'match-cycle-opened', auditSubject.matchCycle(cycle.cycleId), now, { scope: cycle.scope, openings: openings.length });
  return cycle;
}

function assertRanking(cycle: MatchCycle, now: Date) {
  const status = statusOf(cycle, now);
  if (status === 'scheduled') throw conflict(`The ranking window of this cycle opens at ${cycle.window.from}.`);
  if (status !== 'ranking') throw conflict(`The ranking window of this cycle closed at ${cycle.window.to}; lists can no longer be submitted or changed.`);
}

/** The person's fit for each opening, from their own evidence (verified only, as every list the organisation sees). */
export async function fitsOfLearner(profile: CandidateProfile, openings: readonly Opening[]): Promise<Map<string, Fit>> {
  const standings = standingsOf(await loadEvidence(profile.learnerId));
  const fits = new Map<string, Fit>();
  for (const opening of openings) {
    const facts = candidateFactsOf({ learnerId: profile.learnerId, workStyles: profile.workStyles, standings }, await catalogOfOpening(opening));
    if (facts) fits.set(opening.openingId, scoreCandidate(needsOf(opening), facts, false));
  }
  return fits;
}

/**
 * These candidates' fit for the opening: from its ranking (its shortlist and what changed
 * since) where it lists them, from their own evidence otherwise (few: the ranking holds
 * the best fitting).
 */
async function fitsForOpening(opening: Opening, candidates: readonly CandidateProfile[]): Promise<Map<string, Fit>> {
  const ranking = await rankOpening(opening, await catalogOfOpening(opening), readShortlist(opening.openingId), { includeSelfReported: false });
  const ranked = new Map((ranking?.ranked ?? []).map((c) => [c.entry.learnerId, c.fit]));
  const fits = new Map<string, Fit>();
  await forEachConcurrently(candidates, 8, async (profile) => {
    const fit = ranked.get(profile.learnerId) ?? (await fitsOfLearner(profile, [opening])).get(opening.openingId);
    if (fit) fits.set(profile.learnerId, fit);
  });
  return fits;
}

const fitView = (fit: Fit) => ({
  score: fit.score,
  requiredMet: `${fit.requiredMet}/${fit.requiredTotal}`,
  readiness: fit.readiness,
  met: fit.met,
  missing: fit.missing,
});

async function openOpenings(ids: readonly string[]): Promise<Opening[]> {
  const found: Opening[] = [];
  await forEachConcurrently(ids, 8, async (id) => {
    const o = await getOpening(id);
    if (o?.status === 'open') found.push(o);
  });
  return found.sort((a, b) => a.openingId.localeCompare(b.openingId));
}

const openingSummary = (o: Opening) => ({
  openingId: o.openingId,
  title: o.title,
  organisation: o.organisation.name,
  prefecture: o.workplace.prefecture,
  workStyle: o.workStyle,
  seats: o.headcount,
});

/** Of the learners pointed at as interested in the opening, those whose list names it and who are candidates for it now. */
async function interestedCandidates(cycleId: string, opening: Opening): Promise<CandidateProfile[]> {
  const pointed = await interestedIn(cycleId, opening.openingId);
  const lists = await getCandidateLists(cycleId, pointed);
  const listing = lists.filter((l) => l.openings.includes(opening.openingId)).map((l) => l.learnerId);
  const profiles = await currentProfiles(listing);
  return listing
    .sort()
    .map((id) => profiles.get(id))
    .filter((p): p is CandidateProfile => isCandidateFor(p, opening));
}

/**
 * GET /v1/match-cycles/{id}/openings, by caller: a candidate sees the cycle's openings that
 * fit them, best fit first, with the fit explained; an organisation its own openings with
 * the candidates who listed them, by handle; a center its prefecture's openings (admin:
 * all) with how many listed each.
 */
export async function cycleOpeningsView(actor: Actor, cycleId: string, now: Date) {
  const cycle = await cycleFor(actor, cycleId);
  const members = await cycleOpenings(cycleId);
  const base = { cycleId, window: cycle.window };
  if (actor.role === 'learner') {
    const profile = (await currentProfiles([actor.sub])).get(actor.sub);
    const fitting = members.filter((m) => isCandidateFor(profile, { workStyle: m.workStyle, workplace: { prefecture: m.prefecture } }));
    const openings = profile ? await openOpenings(fitting.map((m) => m.openingId)) : [];
    const fits = profile ? await fitsOfLearner(profile, openings) : new Map<string, Fit>();
    const list = await getCandidateList(cycleId, actor.sub);
    const shown = openings.filter((o) => fits.has(o.openingId)).sort((a, b) => compareFits(fits.get(a.openingId)!, fits.get(b.openingId)!));
    return {
      ...base,
      view: 'candidate' as const,
      yourList: list?.openings ?? null,
      openings: shown.map((o) => ({ ...openingSummary(o), fit: fitView(fits.get(o.openingId)!) })),
    };
  }
  if (actor.role === 'employer' || actor.role === 'municipality') {
    const own = (await openOpenings(members.filter((m) => m.ownerOrg === actor.org).map((m) => m.openingId))).filter((o) => ownsOpening(actor, o));
    const openings = [];
    for (const opening of own) {
      const interested = await interestedCandidates(cycleId, opening);
      const fits = await fitsForOpening(opening, interested);
      const ranked = interested.filter((p) => fits.has(p.learnerId)).sort((a, b) => compareFits(fits.get(a.learnerId)!, fits.get(b.learnerId)!));
      // Being shown to an organisation shows a person's skills: each showing is in their audit trail.
      await recordAuditOfMany(
        actor,
        'listed-as-candidate',
        ranked.map((p) => ({ subject: auditSubject.learner(p.learnerId), details: { openingId: opening.openingId, cycleId } })),
        now,
      );
      const list = await getOpeningList(cycleId, opening.openingId);
      openings.push({
        ...openingSummary(opening),
        interested: await Promise.all(
          ranked.map(async (p) => ({ candidate: await anonymousHandle(opening.openingId, p.learnerId), ...fitView(fits.get(p.learnerId)!) })),
        ),
        // Only people who are still candidates for it: someone who withdrew consent is shown nowhere.
        list: list
          ? await Promise.all(list.candidates.filter((id) => interested.some((p) => p.learnerId === id)).map((id) => anonymousHandle(opening.openingId, id)))
          : null,
      });
    }
    return { ...base, view: 'organisation' as const, openings };
  }
  const overseen = members.filter((m) => showsOpeningToOverseer(actor, cycle, m.prefecture));
  const openings = await openOpenings(overseen.map((m) => m.openingId));
  // A national cycle has thousands of openings: a bounded number of reads at a time.
  const rows = new Map<string, { interestedCount: number; listSubmitted: boolean }>();
  await forEachConcurrently(openings, 16, async (o) => {
    const [interested, list] = await Promise.all([interestedCandidates(cycleId, o), getOpeningList(cycleId, o.openingId)]);
    rows.set(o.openingId, { interestedCount: interested.length, listSubmitted: list !== undefined });
  });
  return {
    ...base,
    view: 'center' as const,
    openings: openings.map((o) => ({ ...openingSummary(o), ...rows.get(o.openingId)! })),
  };
}

/** A cycle nobody runs stops holding its participants this long after its window closed. */
const HELD_AFTER_CLOSE_MS = 14 * 24 * 3600_000;

/**
 * The cycle still holds its participants: it has not run (and was not left unrun for two
 * weeks past its window), or it has run and its proposals are not all published yet (until
 * then another cycle could not see them and would seat the same people).
 */
export const holdsParticipants = (cycle: MatchCycle | undefined, now: Date) =>
  !!cycle && (cycle.status === 'matched' ? cycle.publishedAt === undefined : now.getTime() < Date.parse(cycle.window.to) + HELD_AFTER_CLOSE_MS);

/**
 * A person takes part in one cycle at a time: from their first list in a cycle until that
 * cycle has run, a list for another cycle is refused (so no two cycles solved apart can
 * both hand them a seat).
 */
async function joinCycle(learnerId: string, cycleId: string, now: Date) {
  const held = await getParticipation(learnerId);
  if (held && held.cycleId !== cycleId) {
    const other = await getCycle(held.cycleId);
    if (other && holdsParticipants(other, now))
      throw conflict(
        `You take part in matching cycle ${held.cycleId} until it has run (its window closes at ${other.window.to}); one cycle at a time, so nobody is matched twice.`,
      );
  }
  const joined = await claimParticipation({ learnerId, cycleId, since: now.toISOString() }, held?.cycleId);
  if (!joined) throw conflict('Your participation changed meanwhile (another list was submitted at the same moment); retry.');
}

/**
 * PUT /v1/match-cycles/{id}/rank-lists/me: the candidate's list replaces any before it,
 * while the window is open. An empty list withdraws theirs and ends their participation,
 * so they may take part in another cycle (in this one's run they are then as anyone
 * without a list: in fit order, if no other cycle holds them by then).
 */
export async function submitCandidateList(actor: Actor, cycleId: string, openingIds: readonly string[], now: Date) {
  const cycle = await cycleFor(actor, cycleId);
  assertRanking(cycle, now);
  if (openingIds.length === 0) return withdrawCandidateList(actor, cycle, now);
  const profile = (await currentProfiles([actor.sub])).get(actor.sub);
  const members = await Promise.all(openingIds.map((id) => getCycleOpening(cycleId, id)));
  const faults = openingIds.flatMap((id, i) => {
    const m = members[i];
    if (!m) return [`openings[${i}]: opening ${id} does not take part in this cycle`];
    if (!isCandidateFor(profile, { workStyle: m.workStyle, workplace: { prefecture: m.prefecture } }))
      return [`openings[${i}]: opening ${id} does not fit your profile (consent, place or work style)`];
    return [];
  });
  if (faults.length > 0) throw invalid('Some openings cannot be on your list.', { errors: bodyFieldErrors(faults) });
  const previous = await getCandidateList(cycleId, actor.sub);
  // The window again, by the clock now, right before the writes: the request may have taken a while (the run waits out the rest: RUN_GRACE_MS).
  assertRanking(cycle, new Date());
  await joinCycle(actor.sub, cycleId, now);
  const list = { cycleId, learnerId: actor.sub, openings: [...openingIds], submittedAt: now.toISOString() };
  try {
    await putCandidateList(list, previous?.openings ?? []);
  } catch (error) {
    // Not held by a cycle they have no list in. Should the list have landed after all, the run claims them again (match-cycle-run.ts seatable).
    if (!previous) await releaseParticipation(actor.sub, cycleId);
    throw error;
  }
  await recordAudit(actor, 'rank-list-submitted', auditSubject.learner(actor.sub), now, { cycleId, openings: openingIds.length });
  return { cycleId, openings: list.openings, submittedAt: list.submittedAt, listUsed: LIST_TEXT.own };
}

async function withdrawCandidateList(actor: Actor, cycle: MatchCycle, now: Date) {
  const previous = await getCandidateList(cycle.cycleId, actor.sub);
  assertRanking(cycle, new Date());
  if (previous) await deleteCandidateList(previous);
  // Always, so a retry after an interruption finishes the withdrawal.
  await releaseParticipation(actor.sub, cycle.cycleId);
  await recordAudit(actor, 'rank-list-withdrawn', auditSubject.learner(actor.sub), now, { cycleId: cycle.cycleId });
  return { cycleId: cycle.cycleId, openings: [], submittedAt: now.toISOString(), listUsed: LIST_TEXT.fit };
}

/**
 * PUT /v1/match-cycles/{id}/openings/{openingId}/rank-list: the organisation ranks, by
 * handle, candidates who listed the opening; whoever it leaves off is not acceptable to
 * it. Stored as learner ids, so a rotation of the handle key leaves the list meaning the
 * same people.
 */
export async function submitOpeningList(actor: Actor, cycleId: string, openingId: string, handles: readonly string[], now: Date) {
  const cycle = await cycleFor(actor, cycleId);
  const member = await getCycleOpening(cycleId, openingId);
  const opening = member && (await getOpening(openingId));
  if (!opening || !ownsOpening(actor, opening)) throw notFound(`No opening ${openingId} of yours in this cycle.`);
  assertRanking(cycle, now);
  const interested = await interestedCandidates(cycleId, opening);
  const byHandle = new Map(await Promise.all(interested.map(async (p) => [await anonymousHandle(openingId, p.learnerId), p.learnerId] as const)));
  const faults = handles.flatMap((h, i) => (byHandle.has(h) ? [] : [`candidates[${i}]: no candidate who listed this opening has handle ${h}`]));
  if (faults.length > 0) throw invalid('Some handles are not candidates who listed this opening.', { errors: bodyFieldErrors(faults) });
  const candidates = handles.map((h) => byHandle.get(h)!);
  const list = { cycleId, openingId, candidates, submittedAt: now.toISOString(), submittedBy: actor.sub };
  // The window again, by the clock now, right before the write (the run waits out the rest: RUN_GRACE_MS).
  assertRanking(cycle, new Date());
  await putOpeningList(list);
  await recordAudit(actor, 'rank-list-submitted', auditSubject.opening(openingId), now, { cycleId, candidates: candidates.length });
  // Being ranked is about the person: each ranking is in their audit trail (and so their export).
  await recordAuditOfMany(
    actor,
    'ranked-by-organisation',
    candidates.map((id, i) => ({ subject: auditSubject.learner(id), details: { cycleId, openingId, position: i + 1 } })),
    now,
  );
  return { cycleId, openingId, candidates: [...handles], submittedAt: list.submittedAt, listUsed: LIST_TEXT.own };
}
