import { getLearnerProfile } from '../data/learners';
import { qualificationsOfLearner, recordQualificationOnce } from '../data/qualifications';
import { countingRules } from '../rules/bundled';
import { fiscalYearOf } from '../time/japan-time';
import { syncCandidatePools } from './candidate-pool';
import { loadEvidence } from './evidence';
import { findQualification } from './qualification';

/**
 * Recomputes everything derived from one learner's completions: the pool entries (a
 * compact standing per installed catalog version) and, for each counting rule, the first
 * qualification (recorded once, never moved). The one place a learner is derived: the
 * aggregation calls it once per learner per batch, the rebuild once per learner. Safe to
 * run concurrently: pool entries are ordered by what they were derived from.
 */
export async function refreshLearner(learnerId: string, now: Date, options: { fresh?: boolean } = {}): Promise<{ qualified: string[] }> {
  const evidence = await loadEvidence(learnerId, options);
  const { facts, coverage, catalogs } = evidence;
  await syncCandidatePools(learnerId, evidence);

  const already = new Set((await qualificationsOfLearner(learnerId)).map((q) => q.ruleVersion));
  const qualified: string[] = [];
  let residence: string | undefined;
  for (const rule of countingRules) {
    if (already.has(rule.version)) continue;
    const finding = findQualification(rule, facts, coverage, catalogs);
    if (!finding) continue;
    residence ??= (await getLearnerProfile(learnerId))?.residence.prefecture ?? '00';
    const recorded = await recordQualificationOnce({
      learnerId,
      ruleVersion: rule.version,
      qualifiedOn: finding.qualifiedOn,
      fiscalYear: fiscalYearOf(finding.qualifiedOn),
      prefecture: residence,
      clause: finding.clause,
      roles: finding.roles,
      types: finding.types,
      ...(finding.catalogVersion ? { catalogVersion: finding.catalogVersion } : {}),
      evidence: finding.evidence,
      recordedAt: now.toISOString(),
      version: 1,
    });
    if (recorded) qualified.push(rule.version);
  }
  return { qualified };
}
