import type { DataAccess, WorkflowName } from './http/route';

/** The queues jobs consume; each has its URL in the environment of whoever sends to it (shared/queues.ts). */
export type QueueName = 'imports' | 'match-runs';
/** The variable holding each queue's URL (set by the stack on the routes that send to it). */
export const queueUrlVariables: Record<QueueName, string> = { imports: 'IMPORT_QUEUE_URL', 'match-runs': 'MATCH_RUN_QUEUE_URL' };

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
    | { kind: 'workflow-step'; workflow: WorkflowName /** The local host ticks it on its own (there is no state machine there). */; localEverySeconds?: number }
    /**
     * One message per invocation from an SQS queue (with a dead-letter queue after
     * `maxReceives`), at most `concurrency` invocations at once; the local host drains an
     * in-process queue with the same limit, retrying a failed message after `localRetrySeconds`, doubled each time.
     * `senders`: the ids of the routes allowed to send to it (granted, and given its URL).
     */
    | { kind: 'queue'; queue: QueueName; senders: readonly string[]; concurrency: number; maxReceives: number; localRetrySeconds: number };
  lambda?: { memoryMb?: number; timeoutSeconds?: number };
  /** The job starts this state machine in AWS (granted, and given its ARN). */
  startsWorkflow?: WorkflowName;
}

export const jobs = {
  seedCatalog: {
    handler: 'seed-catalog',
    description: 'Installs the catalog versions shipped with the code (idempotent)',
    data: 'read-write',
    trigger: { kind: 'after-deploy' },
    startsWorkflow: 'rebuild',
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
    description: 'National round, step 3: one seat per person across prefectures, then the summary',
    data: 'read-write',
    trigger: { kind: 'workflow-step', workflow: 'nationalRound' },
    // Reads every proposal of the round (tens of thousands nationally); a national matching
    // cycle's one solve over the whole market runs here too (shared/workflows/match-cycle-steps.ts).
    lambda: { memoryMb: 3008, timeoutSeconds: 900 },
  },
  refreshShortlists: {
    handler: 'refresh-shortlists',
    description: "Computes each open opening's candidate shortlist when missing, after a change, or once its pools changed enough",
    data: 'read-write',
    // A run ends well before the next one starts (its deadline is the timeout less a margin).
    trigger: { kind: 'schedule', everySeconds: 300, localEverySeconds: 15 },
    lambda: { timeoutSeconds: 290, memoryMb: 2048 },
  },
  importWorker: {
    handler: 'import-worker',
    description: 'Stores one chunk of a queued CSV import with the checks of a single report',
    data: 'read-write',
    // Four at a time, whatever the number of uploads: bulk work queues instead of taking
    // the table's capacity from single reports.
    trigger: { kind: 'queue', queue: 'imports', senders: ['importCompletions'], concurrency: 4, maxReceives: 5, localRetrySeconds: 1 },
    lambda: { timeoutSeconds: 120, memoryMb: 1024 },
  },
  matchRunWorker: {
    handler: 'match-run-worker',
    description: "Computes a prefecture's requested matching round (deferred acceptance) and stores it for review, or runs a matching cycle",
    data: 'read-write',
    // A round reads its prefecture's shortlists and writes its proposals: two at a time,
    // so a morning of centers' rounds queues instead of taking the table from single reports.
    trigger: { kind: 'queue', queue: 'match-runs', senders: ['createMatchRun', 'runMatchCycle'], concurrency: 2, maxReceives: 4, localRetrySeconds: 1 },
    lambda: { memoryMb: 2048, timeoutSeconds: 300 },
    // A national matching cycle runs on the national round's state machine (shared/workflows/match-cycle.ts).
    startsWorkflow: 'nationalRound',
  },
  rebuildSegment: {
    handler: 'rebuild-segment',
    description: 'Rebuild (Distributed Map item): re-derives one segment of the learners, resumable page by page',
    data: 'read-write',
    trigger: { kind: 'workflow-step', workflow: 'rebuild', localEverySeconds: 2 },
    lambda: { memoryMb: 1024, timeoutSeconds: 900 },
  },
  rebuildFinish: {
    handler: 'rebuild-finish',
    description: 'Rebuild, last step: marks it done once every segment is',
    data: 'read-write',
    trigger: { kind: 'workflow-step', workflow: 'rebuild' },
  },
} satisfies Record<string, JobSpec>;

export const jobList: readonly (JobSpec & { id: string })[] = Object.entries(jobs).map(([id, spec]) => ({ id, ...spec }));
