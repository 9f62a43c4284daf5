import { getLearnerProfile } from '../data/learners';
import { moveQualification, qualificationsOfLearner, recordQualificationOnce } from '../data/qualifications';
import { fiscalYearOf } from '../time/japan-time';
import { syncCandidatePools } from './candidate-pool';
import { activeRule } from './counting-rules';
import { loadEvidence } from './evidence';
import { findQualification } from './qualification';

/**
 * Recomputes everything derived from one learner's completions: the pool entries (a
 * compact standing per installed catalog version) and, under the current counting rule, the
 * qualification: recorded the first time evidence meets the rule, and moved earlier when
 * evidence dated before its day arrives. The one place a learner is derived: the
 * aggregation calls it once per learner per batch, the rebuild once per learner. Safe to
 * run concurrently: pool entries are ordered by what they were derived from.
 */
export async function refreshLearner(learnerId: string, now: Date, options: Parameters<typeof loadEvidence>[1] = {}): Promise<{ qualified: string[] }> {
  const evidence = await loadEvidence(learnerId, options);
  const { facts, coverage, catalogs, accreditations } = evidence;
  await syncCandidatePools(learnerId, evidence);

  const recorded = new Map((await qualificationsOfLearner(learnerId)).map((q) => [q.ruleVersion, q]));
  const qualified: string[] = [];
  let residence: string | undefined;
  for (const rule of [await activeRule({ fresh: options.fresh === true })]) {
    const finding = findQualification(rule, facts, coverage, catalogs, accreditations);
    if (!finding) continue;
    const found = {
      qualifiedOn: finding.qualifiedOn,
      fiscalYear: fiscalYearOf(finding.qualifiedOn),
      clause: finding.clause,
      roles: finding.roles,
      types: finding.types,
      ...(finding.catalogVersion ? { catalogVersion: finding.catalogVersion } : {}),
      evidence: finding.evidence,
    };
    const current = recorded.get(rule.version);
    if (current) {
      // Evidence dated before the recorded day (reported late) moves the day earlier; it never moves later.
      if (found.qualifiedOn < current.qualifiedOn) await moveQualification(current, found, now.toISOString());
      continue;
    }
    residence ??= (await getLearnerProfile(learnerId))?.residence.prefecture ?? '00';
    const isNew = await recordQualificationOnce({
      learnerId,
      ruleVersion: rule.version,
      ...found,
      prefecture: residence,
      recordedAt: now.toISOString(),
      version: 1,
    });
    if (isNew) qualified.push(rule.version);
  }
  return { qualified };
}
