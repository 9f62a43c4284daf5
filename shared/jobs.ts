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
  trigger: { kind: 'after-deploy' } | { kind: 'schedule'; everySeconds: number; localEverySeconds: number };
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
} satisfies Record<string, JobSpec>;

export const jobList: readonly (JobSpec & { id: string })[] = Object.entries(jobs).map(([id, spec]) => ({ id, ...spec }));
