import { createHash } from 'node:crypto';
import type { CatalogVersion } from '../catalog/model';
import type { Opening } from '../data/openings';
import type { PoolEntry } from '../data/pools';
import type { Shortlist, ShortlistBound } from '../data/shortlists';
import { compareFits, fitsStyle, scoreCandidate, type Fit, type OpeningNeeds } from '../matching/score';
import { focusOf, needsKeyOf, needsOf, rowFacts, rowOf, type Focus, type ShortlistRow } from './ranking';
import { currentStanding } from './standing';

/**
 * Computing an opening's shortlist from the whole of its pools (the refresh job,
 * shared/domain/shortlist-refresh.ts): what shared/domain/ranking.ts ranks from.
 */

interface Kept {
  row: ShortlistRow;
  fit: ShortlistBound;
}

/** The best `size` seen so far, in one evidence mode; memory stays within twice `size`. */
class BestFits {
  private kept: Kept[] = [];
  private bound: ShortlistBound | undefined;
  constructor(private readonly size: number) {}

  /** False when the fit is worse than the bound (then it never needs its tie-break). */
  mightKeep(core: Omit<ShortlistBound, 'tieBreak'>): boolean {
    const b = this.bound;
    if (!b) return true;
    return (
      core.score - b.score > 0 ||
      (core.score === b.score && (core.requiredMet > b.requiredMet || (core.requiredMet === b.requiredMet && core.readiness >= b.readiness)))
    );
  }

  offer(kept: Kept) {
    if (this.bound && compareFits(kept.fit, this.bound) > 0) return;
    this.kept.push(kept);
    if (this.kept.length >= 2 * this.size) this.cut();
  }

  private cut() {
    this.kept.sort((a, b) => compareFits(a.fit, b.fit));
    this.kept.length = this.size;
    this.bound = this.kept[this.size - 1]!.fit;
  }

  /** The kept rows, best first, without superseded ones, and the bound (none if nobody was ever left out). */
  finish(isLatest: (row: ShortlistRow) => boolean): { kept: Kept[]; bound: ShortlistBound | undefined } {
    this.kept = this.kept.filter((k) => isLatest(k.row));
    if (this.kept.length > this.size) this.cut();
    else this.kept.sort((a, b) => compareFits(a.fit, b.fit));
    const bound = this.bound;
    // Rows kept before the bound tightened past them are of no use to a reader: it stops at the bound.
    return { kept: bound ? this.kept.filter((k) => compareFits(k.fit, bound) <= 0) : this.kept, bound };
  }
}

/**
 * A learner's entries in several pools, read one pool after the other: `admit` lets
 * through each entry newer than any seen of that learner, and `isLatest` says at the end
 * which of those admitted are superseded (a sync that stopped half way leaves an older
 * entry in one pool).
 */
export class LatestEntries {
  private readonly latest = new Map<string, string>();
  admit(entry: Pick<PoolEntry, 'learnerId' | 'basis'>): boolean {
    const seen = this.latest.get(entry.learnerId);
    if (seen !== undefined && seen >= entry.basis) return false;
    this.latest.set(entry.learnerId, entry.basis);
    return true;
  }
  readonly isLatest = (learnerId: string, basis: string) => this.latest.get(learnerId) === basis;
}

/** Up to this many pending learners are named in a shortlist, so a reader can tell who stopped being pending. */
const PENDING_NAMED_MAX = 1000;

/**
 * Builds an opening's shortlist from every entry of its pools, read once in any order.
 * Entries with the same standing share one scoring (most people hold the same few levels
 * of the few items an opening asks for), and a tie-break hash is taken only for fits that
 * may be kept. A learner in several pools counts with their latest entry (`isLatest`).
 */
export class ShortlistBuilder {
  private readonly needs: OpeningNeeds;
  private readonly focus: Focus;
  private readonly verified: BestFits;
  private readonly selfReported: BestFits;
  private readonly scored = new Map<string, { verified: Omit<ShortlistBound, 'tieBreak'>; selfReported: Omit<ShortlistBound, 'tieBreak'> }>();
  private readonly pending = new Map<string, string>();

  constructor(
    private readonly opening: Opening,
    private readonly catalog: CatalogVersion,
    private readonly size: number,
  ) {
    this.needs = needsOf(opening);
    this.focus = focusOf(opening, catalog);
    this.verified = new BestFits(size);
    this.selfReported = new BestFits(size);
  }

  add(entry: PoolEntry) {
    if (!fitsStyle(this.needs, entry)) return;
    const standing = currentStanding(entry, this.catalog);
    if (!standing) {
      if ((this.pending.get(entry.learnerId) ?? '') < entry.basis) this.pending.set(entry.learnerId, entry.basis);
      return;
    }
    const row = rowOf(entry, standing, this.focus);
    const shape = `${row[5]}|${row[6]}|${row[7].join(',')}`;
    let cores = this.scored.get(shape);
    if (!cores) {
      const facts = rowFacts(row, this.focus);
      const core = (fit: Fit) => ({ score: fit.score, requiredMet: fit.requiredMet, readiness: fit.readiness });
      cores = { verified: core(scoreCandidate(this.needs, facts, false)), selfReported: core(scoreCandidate(this.needs, facts, true)) };
      this.scored.set(shape, cores);
    }
    let tieBreak: string | undefined;
    const tie = () => (tieBreak ??= createHash('sha256').update(`${this.opening.openingId}|${entry.learnerId}`).digest('hex'));
    if (this.verified.mightKeep(cores.verified)) this.verified.offer({ row, fit: { ...cores.verified, tieBreak: tie() } });
    if (this.selfReported.mightKeep(cores.selfReported)) this.selfReported.offer({ row, fit: { ...cores.selfReported, tieBreak: tie() } });
  }

  finish(
    computed: { generation: string; since: string; computedAt: string },
    isLatest: (learnerId: string, basis: string) => boolean = () => true,
  ): Shortlist<ShortlistRow> {
    const latest = (row: ShortlistRow) => isLatest(row[0], row[1]);
    const verified = this.verified.finish(latest);
    const selfReported = this.selfReported.finish(latest);
    const rows = new Map<string, ShortlistRow>();
    for (const k of [...verified.kept, ...selfReported.kept]) rows.set(k.row[0], k.row);
    const pending = [...this.pending].filter(([learnerId, basis]) => isLatest(learnerId, basis)).map(([learnerId]) => learnerId);
    return {
      openingId: this.opening.openingId,
      ...computed,
      size: this.size,
      needsKey: needsKeyOf(this.opening),
      bounds: { ...(verified.bound ? { verified: verified.bound } : {}), ...(selfReported.bound ? { selfReported: selfReported.bound } : {}) },
      pending: pending.length,
      rows: [...rows.values()],
      ...(pending.length <= PENDING_NAMED_MAX ? { pendingLearnerIds: pending.sort() } : {}),
    };
  }
}
