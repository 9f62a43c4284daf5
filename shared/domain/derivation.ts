import { getLearnerProfile, nextDerivationSeq, putLearnerSkills } from '../data/learners';
import { qualificationsOfLearner, recordQualificationOnce } from '../data/qualifications';
import { countingRules } from '../rules/bundled';
import { fiscalYearOf } from '../time/japan-time';
import { syncCandidatePools } from './candidate-pool';
import { loadEvidence, profileOf, summarize } from './evidence';
import { findQualification } from './qualification';

/**
 * Recomputes everything derived from one learner's completions: the skill summary and
 * tags, and, for each counting rule, the first qualification (recorded once, never moved).
 * Idempotent and safe to run concurrently: the sequence number taken first orders the
 * writes, so the newest read of the completions always wins.
 */
export async function refreshLearner(learnerId: string, now: Date): Promise<{ qualified: string[] }> {
  const seq = await nextDerivationSeq(learnerId);
  const evidence = await loadEvidence(learnerId);
  const { facts, coverage, catalogs } = evidence;
  const summary = summarize(profileOf(evidence), evidence.current);
  await putLearnerSkills({ learnerId, summary, basisSeq: seq, computedAt: now.toISOString(), completionCount: facts.length });
  await syncCandidatePools(learnerId);

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
