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
  trigger: { kind: 'after-deploy' } | { kind: 'schedule'; everySeconds: number };
  lambda?: { memoryMb?: number; timeoutSeconds?: number };
}

export const jobs = {
  seedCatalog: {
    handler: 'seed-catalog',
    description: 'Installs the catalog versions shipped with the code (idempotent)',
    data: 'read-write',
    trigger: { kind: 'after-deploy' },
  },
} satisfies Record<string, JobSpec>;

export const jobList: readonly (JobSpec & { id: string })[] = Object.entries(jobs).map(([id, spec]) => ({ id, ...spec }));
