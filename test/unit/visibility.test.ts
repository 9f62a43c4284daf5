import { describe, expect, it } from 'vitest';
import type { LearnerProfile, WorkStyle } from '../../shared/data/learners';
import { poolsOf } from '../../shared/domain/candidate-pool';
import { centerMaySee, isCandidateFor } from '../../shared/domain/visibility';

const STYLES: WorkStyle[] = ['full-time', 'side-job', 'dispatch', 'remote'];

function profile(matching: boolean, placeFree: boolean | undefined, workStyles: WorkStyle[], workPrefectures: string[] = ['13']): LearnerProfile {
  const at = '2026-04-01T00:00:00.000Z';
  return {
    learnerId: 'l',
    residence: { prefecture: '13', municipality: '131016' },
    workPrefectures,
    workStyles,
    turn: { intent: 'none' },
    consent: { matching, ...(placeFree === undefined ? {} : { placeFree }), changedAt: at },
    consentHistory: [],
    createdAt: at,
    updatedAt: at,
  };
}

const opening = (workStyle: WorkStyle, prefecture: string) => ({ workStyle, workplace: { prefecture, municipality: `${prefecture}2011` } });

describe('consent scope rule', () => {
  it('shows a learner to the centers of the prefectures they chose, and to every center only with place-free consent', () => {
    expect(centerMaySee(profile(true, false, ['remote']), '13')).toBe(true);
    expect(centerMaySee(profile(true, false, ['remote']), '31')).toBe(false);
    expect(centerMaySee(profile(true, undefined, ['remote']), '31')).toBe(false);
    expect(centerMaySee(profile(true, true, ['remote']), '31')).toBe(true);
    expect(centerMaySee(profile(false, true, ['remote']), '13')).toBe(false);
  });

  it('makes place-free consent count only for remote and side-job openings', () => {
    const free = profile(true, true, STYLES);
    expect(isCandidateFor(free, opening('remote', '31'))).toBe(true);
    expect(isCandidateFor(free, opening('side-job', '31'))).toBe(true);
    expect(isCandidateFor(free, opening('full-time', '31'))).toBe(false);
    expect(isCandidateFor(free, opening('dispatch', '31'))).toBe(false);
    expect(isCandidateFor(profile(true, false, STYLES), opening('remote', '31'))).toBe(false);
    expect(isCandidateFor(profile(true, false, STYLES), opening('remote', '13'))).toBe(true);
    expect(isCandidateFor(profile(true, true, ['full-time']), opening('remote', '31'))).toBe(false);
  });

  it("lists no candidate the opening's center may not see, and pools follow the same consents", () => {
    for (const matching of [true, false])
      for (const placeFree of [true, false, undefined])
        for (const styles of [['full-time'], ['remote'], ['side-job', 'dispatch'], STYLES] as WorkStyle[][])
          for (const wanted of [[], ['31']])
            for (const style of STYLES)
              for (const prefecture of ['13', '31']) {
                const p = profile(matching, placeFree, styles, wanted);
                if (isCandidateFor(p, opening(style, prefecture))) {
                  expect(centerMaySee(p, prefecture)).toBe(true);
                  expect(poolsOf(p).length).toBeGreaterThan(0);
                }
                if (!matching) expect(poolsOf(p)).toEqual([]);
                if (placeFree !== true) expect(poolsOf(p).filter((pool) => pool.startsWith('S'))).toEqual([]);
              }
  });
});
