import { readFileSync } from 'node:fs';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { JobQueue } from '../../infra/constructs/job-queue';
import { KanryuFunction } from '../../infra/constructs/kanryu-function';
import { createApp } from '../../infra/environments';
import { routeList } from '../../shared/http/routes';
import { jobList, jobs, queueUrlVariables } from '../../shared/jobs';
import { allResources } from './assembly';

/**
 * A job queue (here the bulk-import one) as the stack builds it from shared/jobs.ts, on its own (the whole
 * stack is test/infra/stack.test.ts): encrypted, TLS only, a dead-letter queue, one
 * message per invocation with per-message failures, the worker's concurrency reserved,
 * and nothing cdk-nag finds.
 */
const { trigger, lambda } = jobs.importWorker;
let template: Template;

beforeAll(() => {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  const stack = new Stack(app, 'QueueTest', { env: { account: '123456789012', region: 'ap-northeast-1' } });
  const worker = new KanryuFunction(stack, 'Worker', {
    entry: 'jobs/import-worker',
    description: 'worker',
    environment: {},
    timeoutSeconds: lambda.timeoutSeconds,
  });
  new JobQueue(stack, 'Imports', { worker: worker.function, trigger, workerTimeoutSeconds: lambda.timeoutSeconds });
  // Validation errors (cdk-nag findings) throw here.
  template = Template.fromStack(stack);
});

describe('the import queue', () => {
  it('is declared by a job whose senders are routes of the table', () => {
    expect(trigger.kind).toBe('queue');
    for (const sender of trigger.senders) expect(routeList.map((r) => r.id)).toContain(sender);
  });

  it('is encrypted, TLS only, and hands a message to a dead-letter queue after the job maxReceives', () => {
    const queues = template.findResources('AWS::SQS::Queue');
    expect(Object.keys(queues)).toHaveLength(2);
    for (const queue of Object.values(queues)) expect(queue.Properties.SqsManagedSseEnabled).toBe(true);
    template.hasResourceProperties('AWS::SQS::Queue', {
      VisibilityTimeout: 6 * lambda.timeoutSeconds,
      RedrivePolicy: { maxReceiveCount: trigger.maxReceives, deadLetterTargetArn: Match.anyValue() },
    });
    const policies = Object.values(template.findResources('AWS::SQS::QueuePolicy'));
    expect(policies).toHaveLength(2);
    for (const policy of policies) {
      expect(policy.Properties.PolicyDocument.Statement).toContainEqual(
        expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      );
    }
  });

  it('feeds the worker one message at a time, failures reported per message, at most the job concurrency at once', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', { BatchSize: 1, FunctionResponseTypes: ['ReportBatchItemFailures'] });
    template.hasResourceProperties('AWS::Lambda::Function', { ReservedConcurrentExecutions: trigger.concurrency, Timeout: lambda.timeoutSeconds });
  });
});

describe('in the stack', () => {
  it('gives exactly the sender routes each queue URL and the right to send, and each worker alone the right to receive', () => {
    const cdkContext = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')).context as Record<string, unknown>;
    // Every template of the app: the senders are in their route families' nested stacks.
    const resources = allResources(createApp({ context: { ...cdkContext, 'aws:cdk:bundling-stacks': [] } }).app);
    const queueJobs = jobList.flatMap((job) => (job.trigger.kind === 'queue' ? [job.trigger] : []));
    expect(queueJobs.map((t) => t.queue).sort()).toEqual(['imports', 'match-runs']);
    for (const queueJob of queueJobs) {
      const variable = queueUrlVariables[queueJob.queue];
      const withUrl = Object.values(resources).filter((r) => r.Type === 'AWS::Lambda::Function' && r.Properties.Environment?.Variables?.[variable]);
      expect(withUrl.map((f) => f.Properties.Description)).toEqual(
        routeList.filter((r) => queueJob.senders.includes(r.id)).map((r) => `${r.method} ${r.path}`),
      );
    }
    const sqsActions = Object.values(resources)
      .filter((r) => r.Type === 'AWS::IAM::Policy')
      .flatMap((p) => p.Properties.PolicyDocument.Statement.flatMap((s: { Action: string | string[] }) => [s.Action].flat()))
      .filter((action: string) => action.startsWith('sqs:'));
    expect(sqsActions.filter((a: string) => a === 'sqs:SendMessage')).toHaveLength(queueJobs.reduce((n, t) => n + t.senders.length, 0));
    expect(sqsActions.filter((a: string) => a === 'sqs:ReceiveMessage')).toHaveLength(queueJobs.length);
  }, 120_000);
});
