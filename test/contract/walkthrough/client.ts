import type { Client } from 'openapi-fetch';
import type { components, paths } from '#kanryu-openapi';

/**
 * A client's walk through the API, written only against the types openapi-typescript
 * generates from /openapi.json (test/contract/generated-client.test.ts generates them into
 * ./generated and typechecks this file with ./tsconfig.json). No casts: a change to the
 * document that breaks a client breaks this file.
 */
// JSON answers and problem+json errors (not the CSV or XLSX a route may also answer with).
export type JsonMedia = `application/${string}json`;
export type KanryuClient = Client<paths, JsonMedia>;
type Schemas = components['schemas'];
type Problem = Schemas['Problem'];

export interface Tokens {
  provider: string;
  learner: string;
  employer: string;
  center: string;
}

export interface Journey {
  learnerId: string;
  catalogVersion: string;
  /** The prefecture of the opening's workplace and of the round. */
  prefecture: Schemas['PrefectureCode'];
  workplace: string;
  today: string;
  deadline: string;
  start: string;
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** The answer's data, or a failure that says which step broke and the problem it got. */
function ok<T>(step: string, answer: { data?: T; error?: Problem; response: Response }): T {
  if (answer.data === undefined) throw new Error(`${step}: ${answer.response.status} ${answer.error ? `${answer.error.type} ${answer.error.detail}` : ''}`);
  return answer.data;
}

export async function walkthrough(client: KanryuClient, tokens: Tokens, journey: Journey) {
  // A provider registers a course (idempotent: a retry with the same key creates nothing new).
  const created = await client.POST('/v1/courses', {
    headers: bearer(tokens.provider),
    params: { header: { 'Idempotency-Key': `walkthrough-${journey.learnerId}` } },
    body: {
      title: 'データエンジニアリング基礎',
      delivery: 'online',
      hours: 12,
      catalogVersion: journey.catalogVersion,
      literacyItems: [{ item: 'what-data-handle', level: 'c' }],
      skills: [
        { skill: 'data-platform-design', level: 'a' },
        { skill: 'data-platform-operations', level: 'b' },
      ],
      certification: false,
    },
  });
  const course: Schemas['Course'] = ok('course', created);
  const location: string | null = created.response.headers.get('location');

  // ... reports a learner's completion of it.
  const completion: Schemas['Completion'] = ok(
    'completion',
    await client.POST('/v1/completions', {
      headers: bearer(tokens.provider),
      body: { learnerId: journey.learnerId, courseId: course.courseId, completedOn: journey.today },
    }),
  );
  const counted: 'verified' | 'self-reported' = completion.status;

  // The learner's skills now show it.
  const skills = ok(
    'skills',
    await client.GET('/v1/learners/{learnerId}/skills', { headers: bearer(tokens.learner), params: { path: { learnerId: journey.learnerId } } }),
  );
  const readiness: number[] = skills.versions.flatMap((version) => version.roles.map((role) => role.readiness));

  // An employer opens a position ...
  const opening: Schemas['Opening'] = ok(
    'opening',
    await client.POST('/v1/openings', {
      headers: bearer(tokens.employer),
      body: {
        title: 'データエンジニア（鳥取）',
        description: '地域のデータ基盤を一緒に作る仕事です。',
        catalogVersion: journey.catalogVersion,
        roles: ['data-engineer'],
        required: [{ skill: 'data-platform-design', level: 'b' }],
        niceToHave: [],
        workStyle: 'full-time',
        workplace: journey.workplace,
        headcount: 1,
        period: { start: journey.start },
        deadline: journey.deadline,
      },
    }),
  );

  // ... opens it to candidates ...
  const opened: Schemas['Opening'] = ok(
    'open',
    await client.PATCH('/v1/openings/{openingId}', {
      headers: bearer(tokens.employer),
      params: { path: { openingId: opening.openingId } },
      body: { status: 'open' },
    }),
  );

  // ... and sees its ranked candidates (query members typed: a boolean and an integer).
  const candidates = ok(
    'candidates',
    await client.GET('/v1/openings/{openingId}/candidates', {
      headers: bearer(tokens.employer),
      params: { path: { openingId: opening.openingId }, query: { includeSelfReported: false, limit: 20 } },
    }),
  );
  const ranked: { rank: number; score: number }[] = candidates.candidates;

  // The prefecture's center runs a matching round, then publishes it.
  const started: Schemas['MatchRun'] = ok(
    'round',
    await client.POST('/v1/match-runs', {
      headers: bearer(tokens.center),
      body: { prefecture: journey.prefecture, dryRun: false, includeSelfReported: false },
    }),
  );
  let run: Schemas['MatchRun'] = started;
  for (let polls = 0; run.status === 'computing' && polls < 600; polls++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    run = ok('round status', await client.GET('/v1/match-runs/{runId}', { headers: bearer(tokens.center), params: { path: { runId: started.runId } } }));
  }
  const published = ok(
    'publish',
    await client.POST('/v1/match-runs/{runId}/publish', { headers: bearer(tokens.center), params: { path: { runId: run.runId } } }),
  );
  const withdrawn: number = published.withdrawnAtPublication;

  // The learner sees the proposal and accepts it.
  const mine = ok('proposals', await client.GET('/v1/proposals', { headers: bearer(tokens.learner), params: { query: { limit: 10 } } }));
  const proposal: Schemas['Proposal'] | undefined = mine.proposals.find((p) => p.openingId === opening.openingId);
  const decided = proposal
    ? ok(
        'proposal',
        await client.POST('/v1/proposals/{proposalId}/decision', {
          headers: bearer(tokens.learner),
          params: { path: { proposalId: proposal.proposalId } },
          body: { decision: 'accept' },
        }),
      )
    : undefined;

  // Anyone reads the progress toward the national target (fiscalYear is an integer).
  const progress: Schemas['ProgressReport'] = ok(
    'progress',
    await client.GET('/v1/progress', { params: { query: { prefecture: journey.prefecture, fiscalYear: Number(journey.today.slice(0, 4)) } } }),
  );
  const qualified: number | null = progress.qualified;

  // A problem answer is typed too.
  const refused = await client.GET('/v1/learners/{learnerId}/skills', { params: { path: { learnerId: journey.learnerId } } });
  const problemType: string | undefined = refused.error?.type;

  return { course, location, completion, counted, readiness, opening: opened, ranked, run, withdrawn, proposal, decided, progress, qualified, problemType };
}
