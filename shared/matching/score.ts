import { createHash } from 'node:crypto';
import type { AttainmentLevel } from '../catalog/model';
import type { CompletionStatus } from '../schemas/completions';

/**
 * How well a candidate fits an opening: a documented, explainable score (pure).
 *
 *   score = 100 x weighted mean of
 *     required   (weight 0.60): for each required item, min(1, attained / required level)
 *     niceToHave (weight 0.15): for each nice-to-have item, 1 if met, 0.5 if attained lower
 *     readiness  (weight 0.25): the candidate's best readiness among the opening's roles
 *   (a component with no items is left out and the others re-weighted)
 *   levels count d=1, c=2, b=3, a=4. Only verified evidence counts unless
 *   includeSelfReported (a center's opt-in), and every item says which evidence it used.
 *
 * Ties are broken by more required items met, then higher readiness, then a fixed
 * pseudo-random order per opening (sha256 of opening and candidate ids), so neither
 * alphabetical order nor sign-up order favours anyone, and the same input always gives
 * the same order.
 */
export type Level = AttainmentLevel;
const rank = (level: string | null | undefined) => (level ? 'dcba'.indexOf(level) + 1 : 0);

export interface OpeningNeeds {
  openingId: string;
  roles: string[];
  required: { skill: string; level: string }[];
  niceToHave: { skill: string; level: string }[];
  workStyle: string;
}

export interface CandidateFacts {
  learnerId: string;
  workStyles: string[];
  verified: Record<string, string>;
  selfReported: Record<string, string>;
  readiness: Record<string, number>;
}

export interface ItemFit {
  skill: string;
  kind: 'required' | 'nice-to-have';
  required: string;
  attained: string | null;
  evidence: CompletionStatus | null;
}

export interface Fit {
  learnerId: string;
  score: number;
  requiredMet: number;
  requiredTotal: number;
  readiness: number;
  met: ItemFit[];
  missing: ItemFit[];
  tieBreak: string;
}

const WEIGHTS = { required: 0.6, niceToHave: 0.15, readiness: 0.25 };

export const fitsStyle = (opening: OpeningNeeds, candidate: Pick<CandidateFacts, 'workStyles'>) => candidate.workStyles.includes(opening.workStyle);

export function scoreCandidate(opening: OpeningNeeds, candidate: CandidateFacts, includeSelfReported: boolean): Fit {
  const attainedOf = (skill: string): { level: string | null; evidence: ItemFit['evidence'] } => {
    const verified = candidate.verified[skill];
    const self = includeSelfReported ? candidate.selfReported[skill] : undefined;
    if (self && rank(self) > rank(verified)) return { level: self, evidence: 'self-reported' };
    return verified ? { level: verified, evidence: 'verified' } : { level: null, evidence: null };
  };
  const met: ItemFit[] = [];
  const missing: ItemFit[] = [];
  const judge = (items: OpeningNeeds['required'], kind: ItemFit['kind'], partial: (attained: number, needed: number) => number) => {
    let sum = 0;
    for (const { skill, level } of items) {
      const attained = attainedOf(skill);
      const fit: ItemFit = { skill, kind, required: level, attained: attained.level, evidence: attained.evidence };
      if (rank(attained.level) >= rank(level)) {
        met.push(fit);
        sum += 1;
      } else {
        missing.push(fit);
        sum += partial(rank(attained.level), rank(level));
      }
    }
    return items.length ? sum / items.length : undefined;
  };
  const required = judge(opening.required, 'required', (a, n) => a / n);
  const niceToHave = judge(opening.niceToHave, 'nice-to-have', (a) => (a > 0 ? 0.5 : 0));
  const readiness = Math.max(0, ...opening.roles.map((role) => candidate.readiness[role] ?? 0));
  const parts = [
    [WEIGHTS.required, required],
    [WEIGHTS.niceToHave, niceToHave],
    [WEIGHTS.readiness, readiness],
  ].filter((part): part is [number, number] => part[1] !== undefined);
  const weight = parts.reduce((n, [w]) => n + w, 0);
  const score = Math.round((parts.reduce((n, [w, v]) => n + w * v, 0) / weight) * 1000) / 10;
  return {
    learnerId: candidate.learnerId,
    score,
    requiredMet: met.filter((m) => m.kind === 'required').length,
    requiredTotal: opening.required.length,
    readiness,
    met,
    missing,
    tieBreak: createHash('sha256').update(`${opening.openingId}|${candidate.learnerId}`).digest('hex'),
  };
}

/** What the order of fits reads. */
export type FitOrder = Pick<Fit, 'score' | 'requiredMet' | 'readiness' | 'tieBreak'>;

/** Best first, by the documented tie rule. */
export function compareFits(a: FitOrder, b: FitOrder): number {
  return b.score - a.score || b.requiredMet - a.requiredMet || b.readiness - a.readiness || a.tieBreak.localeCompare(b.tieBreak);
}
