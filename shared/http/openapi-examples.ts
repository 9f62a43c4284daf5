import type * as z from 'zod/mini';
import type { routes } from './routes';

type Routes = typeof routes;
type BodyInput<R> = R extends { body: { json: infer B extends z.ZodMiniType } } ? z.input<B> : never;
type ResponseOutput<R, S> = R extends { responses: infer All }
  ? S extends keyof All
    ? All[S] extends { schema: infer T extends z.ZodMiniType }
      ? z.output<T>
      : never
    : never
  : never;

/** Examples of an operation, typed by its route's schemas: a schema change that breaks one fails to compile. */
export type OperationExamples = {
  [K in keyof Routes]?: { request?: BodyInput<Routes[K]>; responses?: { [S in keyof Routes[K]['responses']]?: ResponseOutput<Routes[K], S> } };
};

const course = {
  courseId: 'crs_0a1b2c3d4e5f6g7h8i9j',
  providerId: 'inaba-academy',
  title: 'データエンジニアリング基礎',
  delivery: 'online',
  hours: 12,
  catalogVersion: '1.2',
  literacyItems: [{ item: 'what-data-handle', level: 'c' }],
  skills: [
    { skill: 'data-platform-design', level: 'a' },
    { skill: 'data-platform-operations', level: 'b' },
  ],
  certification: false,
  createdAt: '2026-04-01T09:00:00.000Z',
} as const;

const explanation = {
  met: [{ skill: 'data-platform-design', kind: 'required', required: 'b', attained: 'a', evidence: 'verified' }],
  missing: [{ skill: 'cloud-infrastructure', kind: 'nice-to-have', required: 'c', attained: null, evidence: null }],
} as const;

const proposal = {
  proposalId: 'prp_0123456789abcdef01234567',
  runId: 'run_0123456789abcdef0123',
  prefecture: '31',
  openingId: 'opn_0123456789abcdef0123',
  ownerOrg: '7123456789012',
  ownerKind: 'employer',
  learnerId: 'learner-hanako',
  residencePrefecture: '13',
  workplacePrefecture: '31',
  workStyle: 'full-time',
  score: 0.82,
  explanation: { ...explanation, readiness: 0.75, candidateRank: 1, openingRank: 1 },
  status: 'candidate-accepted',
  decisions: [{ by: 'candidate', decision: 'accept', at: '2026-06-03T10:00:00.000Z' }],
  createdAt: '2026-06-01T09:00:00.000Z',
  publishedAt: '2026-06-02T09:00:00.000Z',
} as const;

const matchRun = {
  runId: 'run_0123456789abcdef0123',
  prefecture: '31',
  createdBy: { sub: 'center-31', role: 'center' },
  createdAt: '2026-06-01T09:00:00.000Z',
  dryRun: false,
  includeSelfReported: false,
} as const;

/**
 * Examples on the main operations of a learner's, an employer's and a prefecture's
 * journey, shown by documentation tools and checked against their schemas by the lint
 * (spectral's oas3-valid-media-example, redocly's no-invalid-media-type-examples).
 */
export const operationExamples: OperationExamples = {
  createCourse: {
    request: {
      title: course.title,
      delivery: course.delivery,
      hours: course.hours,
      catalogVersion: course.catalogVersion,
      literacyItems: [...course.literacyItems],
      skills: [...course.skills],
      certification: false,
    },
    responses: { 201: { ...course, literacyItems: [...course.literacyItems], skills: [...course.skills] } },
  },
  reportCompletion: {
    request: { learnerId: 'learner-hanako', courseId: course.courseId, completedOn: '2026-05-20', evidence: { certificateNumber: 'DE-2026-0042' } },
    responses: {
      201: {
        completionId: 'cmp_0123456789abcdef0123',
        learnerId: 'learner-hanako',
        courseId: course.courseId,
        providerId: course.providerId,
        completedOn: '2026-05-20',
        fiscalYear: 2026,
        status: 'verified',
        reportedBy: 'provider',
        evidence: { certificateNumber: 'DE-2026-0042' },
        recordedAt: '2026-05-21T09:00:00.000Z',
        verifiedAt: '2026-05-21T09:00:00.000Z',
      },
    },
  },
  getSkills: {
    responses: {
      200: {
        learnerId: 'learner-hanako',
        completionCount: 1,
        currentVersion: '1.2',
        versions: [
          {
            version: '1.2',
            provisional: false,
            literacy: {
              covered: 1,
              coveredWithSelfReported: 1,
              total: 21,
              parts: [{ partId: 'what', covered: 1, total: 6 }],
              items: [{ id: 'what-data-handle', verified: { level: 'c', completions: ['cmp_0123456789abcdef0123'] } }],
            },
            skills: [
              { id: 'data-platform-design', verified: { level: 'a', completions: ['cmp_0123456789abcdef0123'] } },
              { id: 'data-platform-operations', verified: { level: 'b', completions: ['cmp_0123456789abcdef0123'] } },
            ],
            roles: [
              {
                roleId: 'data-engineer',
                typeId: 'data-scientist',
                readiness: 0.5,
                readinessWithSelfReported: 0.5,
                met: ['data-platform-design', 'data-platform-operations'],
                missing: [{ skillId: 'cloud-infrastructure', required: 'b', attained: null }],
              },
            ],
            tags: [],
          },
        ],
        certifications: [],
        qualifications: [],
        suggestions: null,
      },
    },
  },
  createOpening: {
    request: {
      title: 'データエンジニア（鳥取）',
      description: '地域のデータ基盤を一緒に作る仕事です。',
      catalogVersion: '1.2',
      roles: ['data-engineer'],
      required: [{ skill: 'data-platform-design', level: 'b' }],
      niceToHave: [{ skill: 'cloud-infrastructure', level: 'c' }],
      workStyle: 'full-time',
      workplace: '312011',
      headcount: 1,
      period: { start: '2026-08-01' },
      deadline: '2026-07-01',
    },
    responses: {
      201: {
        openingId: 'opn_0123456789abcdef0123',
        organisation: { id: '7123456789012', kind: 'employer', name: '因幡データ' },
        title: 'データエンジニア（鳥取）',
        description: '地域のデータ基盤を一緒に作る仕事です。',
        catalogVersion: '1.2',
        roles: ['data-engineer'],
        required: [{ skill: 'data-platform-design', level: 'b' }],
        niceToHave: [{ skill: 'cloud-infrastructure', level: 'c' }],
        workStyle: 'full-time',
        workplace: { municipality: '312011', prefecture: '31' },
        headcount: 1,
        period: { start: '2026-08-01' },
        deadline: '2026-07-01',
        status: 'draft',
        createdAt: '2026-06-01T09:00:00.000Z',
        updatedAt: '2026-06-01T09:00:00.000Z',
      },
    },
  },
  rankCandidates: {
    responses: {
      200: {
        openingId: 'opn_0123456789abcdef0123',
        catalogVersion: '1.2',
        evidence: 'verified only',
        candidates: [
          {
            rank: 1,
            candidate: 'cand_5f2a9c',
            score: 0.82,
            requiredMet: '1/1',
            readiness: 0.75,
            met: [...explanation.met],
            missing: [...explanation.missing],
            residencePrefecture: '13',
            turn: 'i-turn',
            workStyles: ['full-time', 'remote'],
          },
        ],
      },
    },
  },
  createMatchRun: {
    request: { prefecture: '31', dryRun: false },
    responses: { 202: { ...matchRun, status: 'computing', createdBy: { ...matchRun.createdBy } } },
  },
  getMatchRun: {
    responses: {
      200: {
        ...matchRun,
        createdBy: { ...matchRun.createdBy },
        status: 'unpublished',
        counts: { openings: 12, seats: 15, candidates: 40, matched: 11, unmatched: 29 },
        stable: true,
        computedAt: '2026-06-01T09:00:05.000Z',
      },
    },
  },
  getProposal: {
    responses: {
      200: {
        ...proposal,
        explanation: { ...proposal.explanation, met: [...explanation.met], missing: [...explanation.missing] },
        decisions: [...proposal.decisions],
      },
    },
  },
  getProgress: {
    responses: {
      200: {
        rule: '2026.1',
        provisional: false,
        filters: { ruleVersion: '2026.1', fiscalYear: 2026, prefecture: '31' },
        today: '2026-06-01',
        qualified: 1234,
        qualifiedByFiscalYear: [{ fiscalYear: 2026, qualified: 1234 }],
        completions: { verified: 2345, selfReported: 120, byFiscalYear: [{ fiscalYear: 2026, verified: 2345, selfReported: 120 }] },
        pace: null,
        breakdowns: {
          prefectures: [{ code: '31', ja: '鳥取県', en: 'Tottori', qualified: 1234, completionsVerified: 2345 }],
          types: [{ id: 'data-scientist', ja: 'データサイエンティスト', en: 'Data scientist', qualified: 800 }],
          roles: [{ id: 'data-engineer', ja: 'データエンジニア', en: 'Data engineer', qualified: 420 }],
        },
        suppressed: null,
      },
    },
  },
  decideProposal: {
    request: { decision: 'accept' },
    responses: {
      200: {
        ...proposal,
        explanation: { ...proposal.explanation, met: [...explanation.met], missing: [...explanation.missing] },
        decisions: [...proposal.decisions],
      },
    },
  },
};
