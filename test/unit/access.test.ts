import { describe, expect, it } from 'vitest';
import { actsFor, isAdmin, isCenterOf, isLearnerSelf, organisationKindOf, overseesLearner, overseesPrefecture } from '../../shared/access';
import type { LearnerProfile } from '../../shared/data/learners';
import type { Actor } from '../../shared/identity';

/**
 * Each access predicate on its own, with every role (no table, no tokens). The same rules
 * through the API, route by route: test/security/authorization-matrix.test.ts.
 */
const admin: Actor = { sub: 'admin-1', role: 'admin' };
const center31: Actor = { sub: 'center-31', role: 'center', prefecture: '31' };
const centerWithoutPrefecture: Actor = { sub: 'center-x', role: 'center' };
const learner: Actor = { sub: 'learner-1', role: 'learner' };
const provider: Actor = { sub: 'provider-1', role: 'provider', org: 'prov-a' };
const employer: Actor = { sub: 'employer-1', role: 'employer', org: '1234567890123' };
const municipality: Actor = { sub: 'city-1', role: 'municipality', org: '312011' };
const employerWithoutOrg: Actor = { sub: 'employer-2', role: 'employer' };
// A prefecture claim only means something on a center's token.
const employerClaiming31: Actor = { sub: 'employer-3', role: 'employer', org: '1234567890123', prefecture: '31' };
const everyone = [undefined, admin, center31, centerWithoutPrefecture, learner, provider, employer, municipality, employerWithoutOrg, employerClaiming31];

function profile(overrides: Partial<LearnerProfile> = {}): LearnerProfile {
  const at = '2026-04-01T00:00:00.000Z';
  return {
    learnerId: 'learner-1',
    residence: { prefecture: '31', municipality: '312011' },
    workPrefectures: ['31'],
    workStyles: ['full-time'],
    turn: { intent: 'none' },
    consent: { matching: true, placeFree: false, changedAt: at },
    consentHistory: [],
    createdAt: at,
    updatedAt: at,
    ...overrides,
  };
}

describe('isAdmin', () => {
  it('holds for the admin role only', () => {
    expect(everyone.filter(isAdmin)).toEqual([admin]);
  });
});

describe('isCenterOf', () => {
  it('holds for the center of that prefecture only', () => {
    expect(everyone.filter((actor) => isCenterOf(actor, '31'))).toEqual([center31]);
    expect(isCenterOf(center31, '32')).toBe(false);
  });

  it('never matches a missing prefecture, on either side', () => {
    expect(isCenterOf(center31, undefined)).toBe(false);
    expect(isCenterOf(centerWithoutPrefecture, undefined)).toBe(false);
    expect(isCenterOf(centerWithoutPrefecture, '')).toBe(false);
  });
});

describe('overseesPrefecture', () => {
  it('is admin, or the center of that prefecture', () => {
    expect(everyone.filter((actor) => overseesPrefecture(actor, '31'))).toEqual([admin, center31]);
    expect(everyone.filter((actor) => overseesPrefecture(actor, '32'))).toEqual([admin]);
  });

  it('lets admin oversee even where no prefecture is named', () => {
    expect(overseesPrefecture(admin, undefined)).toBe(true);
    expect(overseesPrefecture(center31, undefined)).toBe(false);
  });
});

describe('isLearnerSelf', () => {
  it('holds for that learner only', () => {
    expect(everyone.filter((actor) => isLearnerSelf(actor, 'learner-1'))).toEqual([learner]);
    expect(isLearnerSelf(learner, 'learner-2')).toBe(false);
  });

  it('is about the role too: a staff account with the same subject is not the learner', () => {
    expect(isLearnerSelf({ sub: 'learner-1', role: 'provider', org: 'prov-a' }, 'learner-1')).toBe(false);
  });
});

describe('overseesLearner', () => {
  it('is admin, or a center the consent scope reaches', () => {
    expect(everyone.filter((actor) => overseesLearner(actor, profile()))).toEqual([admin, center31]);
  });

  it('follows the learner: consent withdrawn, or living and working elsewhere, hides them from the center', () => {
    expect(overseesLearner(center31, profile({ consent: { matching: false, placeFree: false, changedAt: '2026-04-01T00:00:00.000Z' } }))).toBe(false);
    expect(overseesLearner(center31, profile({ residence: { prefecture: '13', municipality: '131016' }, workPrefectures: ['13'] }))).toBe(false);
    expect(overseesLearner(center31, profile({ residence: { prefecture: '13', municipality: '131016' }, workPrefectures: ['31'] }))).toBe(true);
  });

  it('shows a learner with place-free consent to every center', () => {
    const placeFree = profile({ residence: { prefecture: '13', municipality: '131016' }, workPrefectures: ['13'] });
    placeFree.consent.placeFree = true;
    expect(overseesLearner(center31, placeFree)).toBe(true);
    expect(overseesLearner(centerWithoutPrefecture, placeFree)).toBe(false);
  });

  it('never lets the learner themselves, or an organisation, oversee', () => {
    expect(overseesLearner(learner, profile())).toBe(false);
    expect(overseesLearner(provider, profile())).toBe(false);
  });
});

describe('organisationKindOf', () => {
  it('maps employer and municipality accounts to their kind, and nothing else', () => {
    expect(everyone.map(organisationKindOf)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      'employer',
      'municipality',
      'employer',
      'employer',
    ]);
  });
});

describe('actsFor', () => {
  it('holds for an account of that organisation, acting as that kind', () => {
    expect(everyone.filter((actor) => actsFor(actor, { org: '1234567890123', kind: 'employer' }))).toEqual([employer, employerClaiming31]);
    expect(everyone.filter((actor) => actsFor(actor, { org: '312011', kind: 'municipality' }))).toEqual([municipality]);
    expect(everyone.filter((actor) => actsFor(actor, { org: 'prov-a', kind: 'provider' }))).toEqual([provider]);
  });

  it('never lets the same id held as another kind stand for the organisation', () => {
    expect(actsFor(municipality, { org: '312011', kind: 'employer' })).toBe(false);
    expect(actsFor({ sub: 'p', role: 'provider', org: '312011' }, { org: '312011', kind: 'municipality' })).toBe(false);
  });

  it('never matches an account whose token names no organisation', () => {
    expect(actsFor(employerWithoutOrg, { org: '', kind: 'employer' })).toBe(false);
    expect(actsFor(undefined, { org: '', kind: 'employer' })).toBe(false);
  });

  it('gives admin and centers nothing: they oversee, they do not act for organisations', () => {
    expect(actsFor({ sub: 'a', role: 'admin', org: 'prov-a' }, { org: 'prov-a', kind: 'provider' })).toBe(false);
    expect(actsFor({ ...center31, org: '312011' }, { org: '312011', kind: 'municipality' })).toBe(false);
  });
});
