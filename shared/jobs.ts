import type { DataAccess } from './http/route';

/**
 * Functions that are not behind a route: run after every deploy, on a schedule or as a
 * step of a workflow. The CDK stack and the local host both read this list.
 */
export interface JobSpec {
  /** functions/jobs/<handler>.ts, exporting `handler`. */
  handler: string;
  description: string;
  data: DataAccess;
  /**
   * after-deploy: a CDK Trigger. schedule: an EventBridge rule in AWS; the local host calls
   * the module's `tick` every `localEverySeconds` instead.
   */
  trigger:
    | { kind: 'after-deploy' }
    | { kind: 'schedule'; everySeconds: number; localEverySeconds: number }
    /** A step of a Step Functions workflow (the local host calls the same code in process). */
    | { kind: 'workflow-step'; workflow: 'nationalRound' };
  lambda?: { memoryMb?: number; timeoutSeconds?: number };
}

export const jobs = {
  seedCatalog: {
    handler: 'seed-catalog',
    description: 'Installs the catalog versions shipped with the code (idempotent)',
    data: 'read-write',
    trigger: { kind: 'after-deploy' },
  },
  aggregateProgress: {
    handler: 'aggregate-progress',
    description: 'Applies pending completions and qualifications to the progress aggregates, exactly once',
    data: 'read-write',
    trigger: { kind: 'schedule', everySeconds: 60, localEverySeconds: 2 },
    lambda: { timeoutSeconds: 60, memoryMb: 1024 },
  },
  nationalRoundPlan: {
    handler: 'national-round-plan',
    description: 'National round, step 1: the prefectures with open openings',
    data: 'read',
    trigger: { kind: 'workflow-step', workflow: 'nationalRound' },
  },
  nationalRoundPrefecture: {
    handler: 'national-round-prefecture',
    description: "National round, step 2 (Map): one prefecture's matching round",
    data: 'read-write',
    trigger: { kind: 'workflow-step', workflow: 'nationalRound' },
    lambda: { memoryMb: 2048, timeoutSeconds: 300 },
  },
  nationalRoundSummary: {
    handler: 'national-round-summary',
    description: 'National round, step 3: the summary',
    data: 'read-write',
    trigger: { kind: 'workflow-step', workflow: 'nationalRound' },
  },
} satisfies Record<string, JobSpec>;

export const jobList: readonly (JobSpec & { id: string })[] = Object.entries(jobs).map(([id, spec]) => ({ id, ...spec }));
