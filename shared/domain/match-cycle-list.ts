import { isAdmin } from '../access';
import { getLearnerProfile } from '../data/learners';
import { cyclesPage, type CycleSource, type MatchCycle } from '../data/match-cycles';
import { getOrganisation } from '../data/organisations';
import { forbidden } from '../errors';
import type { Actor } from '../identity';
import { statusOf, type CycleStatusView } from './match-cycles';
import { ownOrgId } from './organisations';

export interface CycleListQuery {
  prefecture?: string;
  state?: CycleStatusView;
  limit?: number;
  cursor?: string;
}

const national: CycleSource = { kind: 'scope', prefecture: undefined };
const ofPrefecture = (prefecture: string): CycleSource => ({ kind: 'scope', prefecture });

/**
 * Where the caller's cycles are (each a partition read newest first, never a scan): a
 * learner's residence and work prefectures and the national ones; an organisation's own
 * (cycles with its openings), its prefecture's and the national ones; a center's
 * prefecture's and the national ones (it reads those); admin every cycle, or one
 * prefecture's.
 */
async function sourcesOf(actor: Actor, prefecture: string | undefined): Promise<CycleSource[]> {
  if (isAdmin(actor)) return prefecture ? [ofPrefecture(prefecture)] : [{ kind: 'all' }];
  if (actor.role === 'center') {
    if (prefecture && prefecture !== actor.prefecture) throw forbidden(`Only the center of prefecture ${prefecture} (or admin) may list its cycles.`);
    return [national, ...(actor.prefecture ? [ofPrefecture(actor.prefecture)] : [])];
  }
  if (actor.role === 'learner') {
    const profile = await getLearnerProfile(actor.sub);
    const places = profile ? [profile.residence.prefecture, ...profile.workPrefectures] : [];
    return [national, ...[...new Set(places)].map(ofPrefecture)];
  }
  const org = ownOrgId(actor);
  const home = (await getOrganisation(org))?.prefecture;
  return [national, { kind: 'organisation', org }, ...(home ? [ofPrefecture(home)] : [])];
}

const summaryOf = (c: MatchCycle, now: Date) => ({
  cycleId: c.cycleId,
  scope: c.scope,
  ...(c.prefecture ? { prefecture: c.prefecture } : {}),
  window: c.window,
  status: statusOf(c, now),
  openings: c.openings,
  createdAt: c.createdAt,
  ...(c.result && c.publishedAt ? { result: { runAt: c.result.runAt, counts: c.result.counts, stable: c.result.stable } } : {}),
});

/**
 * GET /v1/match-cycles: the cycles the caller can take part in or runs, newest first, in
 * every state: a learner finds the ones open for ranking and, after a run, the one whose
 * outcome (and its explanation) they were not told by a proposal. `state` and `prefecture`
 * narrow anyone's list (`prefecture`: that prefecture's own cycles, not national ones).
 */
export async function listCycles(actor: Actor, query: CycleListQuery, now: Date) {
  const sources = await sourcesOf(actor, query.prefecture);
  const page = await cyclesPage(sources, {
    cursor: query.cursor,
    limit: query.limit ?? 50,
    select: (c) => {
      const status = statusOf(c, now);
      return (!query.state || status === query.state) && (!query.prefecture || c.prefecture === query.prefecture);
    },
  });
  return { cycles: page.items.map((c) => summaryOf(c, now)), ...(page.cursor ? { cursor: page.cursor } : {}) };
}
