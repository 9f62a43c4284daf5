import { expect } from 'vitest';
import { addDays, japanDate } from '../../shared/time/japan-time';
import { call, tokenFor } from './api';
import { runRound } from './rounds';
import { openingBody as sharedOpeningBody } from './bodies';
import { courseBody, profileBody, seedCatalog } from './fixtures';

/**
 * One world for the security suites (test/security/), built through the API only:
 *
 * - the bundled catalog 1.2;
 * - two training providers, each with one course (A: ours, B: the other provider's);
 * - learners: L1 (the learner caller: lives in 鳥取県 31, consents), L5 (31, consents),
 *   L2 (31, withholds consent) and L3 (lives in 島根県 32, consents), each with a verified
 *   completion strong enough for every opening below; L6 lives in 32 and wants to work in
 *   31 (remote only, no completion: never matched to the full-time openings); L7 lives in
 *   32, wants only 32 and remote work, with place-free consent (so every center sees them);
 * - organisations: employer A (因幡データ, 31: the employer caller), employer B (出雲テック,
 *   32) and the municipality 鳥取市 (312011: the municipality caller);
 * - openings: one open and one draft per organisation (A and 鳥取市 in 31, B in 32);
 * - match runs: R31 (31, published: proposals L1/L5 x A/鳥取市, still "proposed"),
 *   R32 (32, published: L3 x B, which L3 accepted), U31 (the same pairs, never published)
 *   and U32 (not dry, never published), and one national dry round.
 *
 * The caller of each kind is fixed (center = the center of 31), so "same-prefecture"
 * means 31 and "other-prefecture" means 32.
 */
export const ORG = {
  employerA: '7123456789012', // 法人番号, head office 米子市 (31)
  employerB: '2120901007402', // 法人番号, head office 松江市 (32)
  municipality: '312011', // 鳥取市
} as const;

export const PLACE = {
  tottoriCity: '312011', // 鳥取市 (31)
  yonago: '312029', // 米子市 (31)
  matsue: '322016', // 松江市 (32)
} as const;

export const LEARNER = {
  own: 'sec-l1',
  peer: 'sec-l5',
  noConsent: 'sec-l2',
  otherPrefecture: 'sec-l3',
  /** Lives in 32 but wants to work in 31 (remote only, so no full-time opening fits them). */
  worksIn31: 'sec-l6',
  /** Lives in and wants only 32, remote only, with place-free consent: the center of 31 may see them. */
  placeFree: 'sec-l7',
} as const;

export const PROVIDER = { own: 'sec-prov-a', other: 'sec-prov-b' } as const;

export const today = japanDate(new Date());
export const deadline = addDays(today, 30);

export interface Proposal {
  proposalId: string;
  learnerId: string;
  ownerOrg: string;
  openingId: string;
  status: string;
}

export interface World {
  tokens: {
    learner: string;
    peer: string;
    noConsent: string;
    otherPrefectureLearner: string;
    provider: string;
    otherProvider: string;
    employer: string;
    otherEmployer: string;
    municipality: string;
    center: string;
    otherCenter: string;
    admin: string;
    /** An employer account whose org claim is the municipality's id (and vice versa). */
    employerWithMunicipalityId: string;
    municipalityWithEmployerId: string;
  };
  courses: { own: string; other: string };
  openings: {
    employerOpen: string;
    employerDraft: string;
    municipalityOpen: string;
    municipalityDraft: string;
    otherOpen: string;
    otherDraft: string;
  };
  runs: { published31: string; published32: string; unpublished31: string; unpublished32: string; national: string };
  rebuildId: string;
  proposals: {
    /** R31, still "proposed". */
    learnerOwn: Proposal;
    learnerPeer: Proposal;
    employerOwn: Proposal;
    municipalityOwn: Proposal;
    /** R32 (prefecture 32, employer B), accepted by its candidate. */
    otherPrefecture: Proposal;
    /** U31: never published. */
    unpublished: { learnerOwn: Proposal; employerOwn: Proposal; municipalityOwn: Proposal };
  };
  /** The installed catalog 1.2 document, for install requests. */
  catalog12: any;
  tokenOfLearner: (learnerId: string) => Promise<string>;
}

export const openingBody = (overrides: Record<string, unknown> = {}) =>
  sharedOpeningBody({
    title: 'データエンジニア（セキュリティ試験）',
    workplace: PLACE.tottoriCity,
    deadline,
    pay: { currency: 'JPY', unit: 'year', min: 4_000_000, max: 6_000_000 },
    ...overrides,
  });

export const strongCourse = (title: string) =>
  courseBody({
    title,
    skills: [
      { skill: 'data-platform-design', level: 'a' },
      { skill: 'data-platform-operations', level: 'a' },
    ],
  });

async function ok(res: Promise<{ status: number; text: string; json: any }>, status?: number) {
  const answer = await res;
  if (status === undefined) expect(answer.status, answer.text).toBeLessThan(300);
  else expect(answer.status, answer.text).toBe(status);
  return answer.json;
}

async function postOpening(token: string, overrides: Record<string, unknown>, open: boolean): Promise<string> {
  const created = await ok(call('POST', '/v1/openings', { token, body: openingBody(overrides) }), 201);
  if (open) await ok(call('PATCH', `/v1/openings/${created.openingId}`, { token, body: { status: 'open' } }), 200);
  return created.openingId as string;
}

/** A non-dry run created by admin; `publish` publishes it. Returns its id and proposals. */
export async function freshRun(world: Pick<World, 'tokens'>, prefecture: string, publish: boolean): Promise<{ runId: string; proposals: Proposal[] }> {
  const created = await runRound(world.tokens.admin, { prefecture, dryRun: false });
  const runId = created.run.runId as string;
  if (publish) await ok(call('POST', `/v1/match-runs/${runId}/publish`, { token: world.tokens.admin }), 200);
  const proposals = created.proposals.map((p: Proposal) => ({ ...p, status: publish ? 'proposed' : 'unpublished' }));
  return { runId, proposals };
}

/**
 * A new published proposal in 31 chosen by `pick`, moved to `state`. Every proposal
 * decision in the matrix that should succeed gets its own, so rows never depend on
 * each other.
 */
export async function freshProposal(world: World, pick: (p: Proposal) => boolean, state: 'proposed' | 'candidate-accepted'): Promise<Proposal> {
  const { proposals } = await freshRun(world, '31', true);
  const proposal = proposals.find(pick);
  expect(proposal, JSON.stringify(proposals)).toBeDefined();
  if (state === 'candidate-accepted') {
    const token = await world.tokenOfLearner(proposal!.learnerId);
    await ok(call('POST', `/v1/proposals/${proposal!.proposalId}/decision`, { token, body: { decision: 'accept' } }), 200);
  }
  return { ...proposal!, status: state };
}

let placements = 0;

/**
 * An accepted placement like `like` (its organisation, prefecture and candidate), stored
 * as the workflow leaves one but without taking a seat or the person: the world's
 * openings have one seat each, and a filled one would take every later round's proposals.
 * The workflow itself is tested in test/api/matching-integrity.test.ts.
 */
export async function storedPlacement(like: Proposal): Promise<string> {
  const { putProposals, indexProposalForOrganisation, getProposal } = await import('../../shared/data/matching');
  const stored = (await getProposal(like.proposalId))!;
  const proposalId = `prp_${String(++placements).padStart(24, 'e')}`;
  const acceptedOn = new Date(Date.now() + 9 * 3600_000).toISOString().slice(0, 10);
  const placement = {
    ...stored,
    proposalId,
    status: 'accepted' as const,
    acceptedOn,
    fiscalYear: Number(acceptedOn.slice(0, 4)) - (acceptedOn.slice(5, 7) < '04' ? 1 : 0),
    decisions: [
      { by: 'candidate' as const, decision: 'accept' as const, at: new Date().toISOString() },
      { by: 'organisation' as const, decision: 'accept' as const, at: new Date().toISOString() },
    ],
  };
  await putProposals([placement]);
  await indexProposalForOrganisation(placement);
  return proposalId;
}

export async function buildWorld(): Promise<World> {
  await seedCatalog();
  const learnerTokens = new Map<string, string>();
  const tokenOfLearner = async (learnerId: string) => {
    let token = learnerTokens.get(learnerId);
    if (!token) {
      token = await tokenFor({ sub: learnerId, role: 'learner' });
      learnerTokens.set(learnerId, token);
    }
    return token;
  };
  const tokens: World['tokens'] = {
    learner: await tokenOfLearner(LEARNER.own),
    peer: await tokenOfLearner(LEARNER.peer),
    noConsent: await tokenOfLearner(LEARNER.noConsent),
    otherPrefectureLearner: await tokenOfLearner(LEARNER.otherPrefecture),
    provider: await tokenFor({ sub: `${PROVIDER.own}-staff`, role: 'provider', org: PROVIDER.own }),
    otherProvider: await tokenFor({ sub: `${PROVIDER.other}-staff`, role: 'provider', org: PROVIDER.other }),
    employer: await tokenFor({ sub: 'sec-employer-a-staff', role: 'employer', org: ORG.employerA }),
    otherEmployer: await tokenFor({ sub: 'sec-employer-b-staff', role: 'employer', org: ORG.employerB }),
    municipality: await tokenFor({ sub: 'sec-tottori-city-staff', role: 'municipality', org: ORG.municipality }),
    center: await tokenFor({ sub: 'sec-center-31', role: 'center', prefecture: '31' }),
    otherCenter: await tokenFor({ sub: 'sec-center-32', role: 'center', prefecture: '32' }),
    admin: await tokenFor({ sub: 'sec-admin', role: 'admin' }),
    employerWithMunicipalityId: await tokenFor({ sub: 'sec-confused-employer', role: 'employer', org: ORG.municipality }),
    municipalityWithEmployerId: await tokenFor({ sub: 'sec-confused-municipality', role: 'municipality', org: ORG.employerA }),
  };

  const courseA = (await ok(call('POST', '/v1/courses', { token: tokens.provider, body: strongCourse('セキュリティ試験 A') }), 201)).courseId as string;
  const courseB = (await ok(call('POST', '/v1/courses', { token: tokens.otherProvider, body: strongCourse('セキュリティ試験 B') }), 201)).courseId as string;

  const learners: [string, Record<string, unknown>, string, string][] = [
    [LEARNER.own, { residence: { municipality: PLACE.tottoriCity }, workPrefectures: ['31'], workStyles: ['full-time'] }, tokens.provider, courseA],
    [LEARNER.peer, { residence: { municipality: PLACE.tottoriCity }, workPrefectures: ['31'], workStyles: ['full-time'] }, tokens.otherProvider, courseB],
    [
      LEARNER.noConsent,
      { residence: { municipality: PLACE.tottoriCity }, workPrefectures: ['31'], workStyles: ['full-time'], matchingConsent: false },
      tokens.provider,
      courseA,
    ],
    [LEARNER.otherPrefecture, { residence: { municipality: PLACE.matsue }, workPrefectures: ['32'], workStyles: ['full-time'] }, tokens.otherProvider, courseB],
  ];
  for (const [id, overrides, provider, course] of learners) {
    await ok(call('PUT', '/v1/learners/me', { token: await tokenOfLearner(id), body: profileBody(overrides) }), 201);
    // The learner lets the provider that reports for them do so (only then does its report count).
    const providerId = provider === tokens.provider ? PROVIDER.own : PROVIDER.other;
    await ok(call('PUT', `/v1/learners/me/providers/${providerId}`, { token: await tokenOfLearner(id) }), 201);
    await ok(call('POST', '/v1/completions', { token: provider, body: { learnerId: id, courseId: course, completedOn: '2025-05-01' } }), 201);
  }
  const worksIn31 = { residence: { municipality: PLACE.matsue }, workPrefectures: ['31'], workStyles: ['remote'] };
  await ok(call('PUT', '/v1/learners/me', { token: await tokenOfLearner(LEARNER.worksIn31), body: profileBody(worksIn31) }), 201);
  const placeFree = { residence: { municipality: PLACE.matsue }, workPrefectures: ['32'], workStyles: ['remote'], placeFreeConsent: true };
  await ok(call('PUT', '/v1/learners/me', { token: await tokenOfLearner(LEARNER.placeFree), body: profileBody(placeFree) }), 201);

  await ok(
    call('PUT', '/v1/organisations/me', {
      token: tokens.employer,
      body: { kind: 'employer', name: '株式会社因幡データ', corporateNumber: ORG.employerA, headOffice: PLACE.yonago },
    }),
    201,
  );
  await ok(
    call('PUT', '/v1/organisations/me', {
      token: tokens.otherEmployer,
      body: { kind: 'employer', name: '出雲テック株式会社', corporateNumber: ORG.employerB, headOffice: PLACE.matsue },
    }),
    201,
  );
  await ok(
    call('PUT', '/v1/organisations/me', { token: tokens.municipality, body: { kind: 'municipality', name: '鳥取市', localGovernmentCode: ORG.municipality } }),
    201,
  );

  const openings: World['openings'] = {
    employerOpen: await postOpening(tokens.employer, { title: '因幡データ 公開' }, true),
    employerDraft: await postOpening(tokens.employer, { title: '因幡データ 下書き' }, false),
    municipalityOpen: await postOpening(tokens.municipality, { title: '鳥取市 公開' }, true),
    municipalityDraft: await postOpening(tokens.municipality, { title: '鳥取市 下書き' }, false),
    otherOpen: await postOpening(tokens.otherEmployer, { title: '出雲テック 公開', workplace: PLACE.matsue }, true),
    otherDraft: await postOpening(tokens.otherEmployer, { title: '出雲テック 下書き', workplace: PLACE.matsue }, false),
  };

  const world = { tokens, courses: { own: courseA, other: courseB }, openings, tokenOfLearner } as World;

  // R31 is created by the center of 31 itself; the others by admin.
  const r31 = await runRound(tokens.center, { prefecture: '31', dryRun: false });
  await ok(call('POST', `/v1/match-runs/${r31.run.runId}/publish`, { token: tokens.center }), 200);
  const p31: Proposal[] = r31.proposals;
  expect(p31.map((p) => p.learnerId).sort()).toEqual([LEARNER.own, LEARNER.peer].sort());
  expect(p31.map((p) => p.ownerOrg).sort()).toEqual([ORG.employerA, ORG.municipality].sort());
  // Both candidates accept: an organisation sees a proposal only from then on.
  for (const proposal of p31) {
    const token = await world.tokenOfLearner(proposal.learnerId);
    await ok(call('POST', `/v1/proposals/${proposal.proposalId}/decision`, { token, body: { decision: 'accept' } }), 200);
  }
  const r32 = await freshRun(world, '32', true);
  expect(r32.proposals.map((p) => p.learnerId)).toEqual([LEARNER.otherPrefecture]);
  const accepted = r32.proposals[0]!;
  await ok(call('POST', `/v1/proposals/${accepted.proposalId}/decision`, { token: tokens.otherPrefectureLearner, body: { decision: 'accept' } }), 200);
  const u31 = await freshRun(world, '31', false);
  const u32 = await freshRun(world, '32', false);
  const national = await ok(call('POST', '/v1/national-match-runs', { token: tokens.admin, body: { dryRun: true } }), 201);
  world.rebuildId = (await ok(call('POST', '/v1/rebuilds', { token: tokens.admin }), 202)).rebuildId;

  const find = (pick: (p: Proposal) => boolean) => ({ ...p31.find(pick)!, status: 'candidate-accepted' });
  const unpublished = (pick: (p: Proposal) => boolean) => u31.proposals.find(pick)!;
  expect(u31.proposals).toHaveLength(2);
  world.runs = { published31: r31.run.runId, published32: r32.runId, unpublished31: u31.runId, unpublished32: u32.runId, national: national.nationalRunId };
  world.proposals = {
    learnerOwn: find((p) => p.learnerId === LEARNER.own),
    learnerPeer: find((p) => p.learnerId === LEARNER.peer),
    employerOwn: find((p) => p.ownerOrg === ORG.employerA),
    municipalityOwn: find((p) => p.ownerOrg === ORG.municipality),
    otherPrefecture: { ...accepted, status: 'candidate-accepted' },
    unpublished: {
      learnerOwn: unpublished((p) => p.learnerId === LEARNER.own),
      employerOwn: unpublished((p) => p.ownerOrg === ORG.employerA),
      municipalityOwn: unpublished((p) => p.ownerOrg === ORG.municipality),
    },
  };
  world.catalog12 = await ok(call('GET', '/v1/catalog/1.2'), 200);
  return world;
}
