import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bundledCatalogVersions } from '../../shared/catalog/bundled';
import type { Opening } from '../../shared/data/openings';
import type { PoolEntry } from '../../shared/data/pools';
import { rankEntries, rankFromShortlist, type Ranking } from '../../shared/domain/ranking';
import { LatestEntries, ShortlistBuilder } from '../../shared/domain/shortlist-build';

/**
 * A shortlist (the best K per evidence mode, computed from the pool at one time) merged
 * with the entries written since gives the ranking full scoring gives now, as far as it
 * lists: for any pool, any K, any changes (new people, better or worse skills, people
 * whose standing is pending, people in two pools with an older and a newer entry).
 */
const catalog = bundledCatalogVersions()[0]!;
const skills = catalog.promotion.skills.map((s) => s.id);
const roles = catalog.promotion.roles.map((r) => r.id);
const LEVELS = 'dcba';

const opening = (required: string[], nice: string[], openingRoles: string[]): Opening =>
  ({
    openingId: 'opn_00000000000000000001',
    organisation: { id: '7123456789012', kind: 'employer', name: 'x' },
    ownerOrg: '7123456789012',
    title: 't',
    description: 'd',
    catalogVersion: catalog.version,
    roles: openingRoles,
    required: required.map((skill, i) => ({ skill, level: LEVELS[(i + 1) % 4]! })),
    niceToHave: nice.map((skill) => ({ skill, level: 'c' })),
    workStyle: 'full-time',
    workplace: { municipality: '312011', prefecture: '31' },
    headcount: 1,
    period: { start: '2030-01-01' },
    deadline: '2029-12-01',
    status: 'open',
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    version: 1,
  }) as Opening;

// Few distinct levels on the opening's items: many ties, which the tie-break must order.
const standingArb = (focus: string[]) =>
  fc
    .record({
      verified: fc.array(fc.constantFrom('-', 'c', 'b'), { minLength: focus.length, maxLength: focus.length }),
      selfReported: fc.array(fc.constantFrom('-', 'b', 'a'), { minLength: focus.length, maxLength: focus.length }),
      readiness: fc.constantFrom(0, 250, 500),
    })
    .map(({ verified, selfReported, readiness }) => {
      const column = (levels: string[]) => skills.map((s) => (focus.includes(s) ? levels[focus.indexOf(s)]! : 'd')).join('');
      return { verified: column(verified), selfReported: column(selfReported), readiness: roles.map((_, i) => (i % 3 === 0 ? readiness : 100)) };
    });

const entryArb = (learnerId: string, focus: string[], basisStamp: number) =>
  fc
    .record({
      standing: fc.option(standingArb(focus), { freq: 8 }),
      styles: fc.constantFrom(['full-time'], ['full-time', 'remote'], ['remote']).map((styles) => [...styles]),
    })
    .map(
      ({ standing, styles }): PoolEntry => ({
        learnerId,
        residencePrefecture: '31',
        workPrefectures: ['31'],
        workStyles: styles,
        turn: 'none',
        standings: standing ? { [catalog.version]: standing } : {},
        basis: `001|2026|${String(basisStamp).padStart(4, '0')}`,
      }),
    );

interface Scenario {
  opening: Opening;
  size: number;
  before: PoolEntry[][];
  changed: PoolEntry[][];
  withdrawn: Set<string>;
}

const scenarioArb: fc.Arbitrary<Scenario> = fc
  .record({
    required: fc.shuffledSubarray(skills, { minLength: 1, maxLength: 3 }),
    nice: fc.shuffledSubarray(skills, { minLength: 0, maxLength: 2 }),
    openingRoles: fc.shuffledSubarray(roles, { minLength: 1, maxLength: 2 }),
    people: fc.integer({ min: 0, max: 60 }),
    size: fc.integer({ min: 1, max: 12 }),
    twoPools: fc.boolean(),
  })
  .chain(({ required, nice, openingRoles, people, size, twoPools }) => {
    const focus = [...new Set([...required, ...nice])];
    const ids = Array.from({ length: people }, (_, i) => `l${String(i).padStart(3, '0')}`);
    const pools = twoPools ? 2 : 1;
    // Per person: in which pools at first (an older entry may sit in the other), then what changes.
    const personArb = (id: string) =>
      fc.record({
        first: entryArb(id, focus, 1),
        inPools: fc.constantFrom(...(pools === 2 ? [[0], [1], [0, 1]] : [[0]])),
        stale: fc.boolean(),
        change: fc.constantFrom('none', 'none', 'rewrite', 'withdraw', 'new'),
        next: entryArb(id, focus, 2),
      });
    return fc.tuple(...ids.map(personArb)).map((persons): Scenario => {
      const before: PoolEntry[][] = Array.from({ length: pools }, () => []);
      const changed: PoolEntry[][] = Array.from({ length: pools }, () => []);
      const withdrawn = new Set<string>();
      for (const p of persons) {
        if (p.change === 'new') {
          for (const pool of p.inPools) changed[pool]!.push(p.next);
          continue;
        }
        p.inPools.forEach((pool, i) => {
          // In two pools, one entry may be older (a sync that stopped half way).
          const entry = p.stale && i === 1 ? { ...p.first, basis: '001|2026|0000', standings: {} } : p.first;
          before[pool]!.push(entry);
        });
        if (p.change === 'rewrite') for (const pool of p.inPools) changed[pool]!.push(p.next);
        if (p.change === 'withdraw') withdrawn.add(p.first.learnerId);
      }
      return { opening: opening(required, nice, openingRoles), size, before, changed, withdrawn };
    });
  });

/** The pools now: entries before, rewritten where they changed, without the withdrawn. */
function poolsNow(s: Scenario): PoolEntry[] {
  return s.before.flatMap((pool, i) => {
    const rewritten = new Map(s.changed[i]!.map((e) => [e.learnerId, e]));
    const kept = pool.filter((e) => !s.withdrawn.has(e.learnerId)).map((e) => rewritten.get(e.learnerId) ?? e);
    const added = s.changed[i]!.filter((e) => !pool.some((b) => b.learnerId === e.learnerId));
    return [...kept, ...added];
  });
}

function shortlistOf(s: Scenario) {
  // As the refresh job reads a pair of pools (shared/domain/shortlist-refresh.ts).
  const builder = new ShortlistBuilder(s.opening, catalog, s.size);
  const latest = new LatestEntries();
  for (const entry of s.before.flat()) if (latest.admit(entry)) builder.add(entry);
  return builder.finish({ generation: 'g', since: 't0', computedAt: 't0' }, latest.isLatest);
}

const view = (r: Ranking) => r.ranked.map((c) => ({ learnerId: c.entry.learnerId, score: c.fit.score, met: c.fit.met, missing: c.fit.missing }));

describe('ranking from a shortlist and what changed since', () => {
  for (const includeSelfReported of [false, true]) {
    it(`lists exactly the top of the full ranking (${includeSelfReported ? 'with' : 'without'} self-reported evidence)`, () => {
      fc.assert(
        fc.property(scenarioArb, (s) => {
          const full = rankEntries(s.opening, catalog, poolsNow(s), includeSelfReported);
          const shortlist = shortlistOf(s);
          expect(shortlist.rows.length).toBeLessThanOrEqual(2 * s.size);
          const merged = rankFromShortlist(s.opening, catalog, shortlist, s.changed.flat(), includeSelfReported);
          // The withdrawn are still rows; the live consent check hides them before anyone sees the list.
          const shown = view(merged).filter((c) => !s.withdrawn.has(c.learnerId));
          expect(shown).toEqual(view(full).slice(0, shown.length));
          const bounded = (includeSelfReported ? shortlist.bounds.selfReported : shortlist.bounds.verified) !== undefined;
          if (!bounded) expect(shown.length).toBe(full.ranked.length);
          expect(merged.shortlistSize).toBe(bounded ? s.size : undefined);
          // Everyone the shortlist kept and nobody changed stays listed.
          const changedIds = new Set([...s.changed.flat().map((e) => e.learnerId), ...s.withdrawn]);
          const unchangedBest = view(rankFromShortlist(s.opening, catalog, shortlist, [], includeSelfReported)).filter((c) => !changedIds.has(c.learnerId));
          for (const c of unchangedBest) expect(shown.map((x) => x.learnerId)).toContain(c.learnerId);
          // Pending is exact, but for withdrawn people who were pending: only a refresh stops counting them.
          const withdrawnPending = [...s.withdrawn].filter((id) => shortlist.pendingLearnerIds!.includes(id)).length;
          expect(merged.pending).toBe(full.pending + withdrawnPending);
        }),
        { numRuns: 300 },
      );
    });
  }

  it('without changes, is the shortlist computed from the whole pool', () => {
    fc.assert(
      fc.property(scenarioArb, fc.boolean(), (s, includeSelfReported) => {
        const noChange = { ...s, changed: s.before.map(() => []), withdrawn: new Set<string>() };
        const full = rankEntries(s.opening, catalog, poolsNow(noChange), includeSelfReported);
        const merged = rankFromShortlist(s.opening, catalog, shortlistOf(noChange), [], includeSelfReported);
        expect(view(merged)).toEqual(view(full).slice(0, merged.ranked.length));
        expect(merged.ranked.length).toBe(Math.min(full.ranked.length, s.size));
        expect(merged.pending).toBe(full.pending);
      }),
      { numRuns: 200 },
    );
  });

  it('when too much changed to merge, lists the shortlist as it was and says since when', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const shortlist = shortlistOf(s);
        const stale = rankFromShortlist(s.opening, catalog, shortlist, undefined, false);
        expect(stale.standingsAsOf).toBe('t0');
        expect(stale.pending).toBe(shortlist.pending);
        expect(view(stale)).toEqual(view(rankFromShortlist(s.opening, catalog, shortlist, [], false)));
      }),
      { numRuns: 50 },
    );
  });
});
