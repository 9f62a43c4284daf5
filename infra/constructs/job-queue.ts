import { Duration, Validations } from 'aws-cdk-lib';
import type { CfnFunction, IFunction } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { JobSpec } from '../../shared/jobs';

type QueueTrigger = Extract<JobSpec['trigger'], { kind: 'queue' }>;

/**
 * A queue a job of shared/jobs.ts consumes (bulk-import chunks, requested rounds): encrypted, TLS only,
 * a dead-letter queue after `maxReceives` deliveries, one message per invocation with
 * failures reported per message, and the worker's concurrency reserved at the job's
 * limit, so a burst of uploads waits in the queue instead of taking the table from
 * single reports. Messages hold only ids (import and chunk, run); the data is in the table.
 */
export class JobQueue extends Construct {
  readonly queue: Queue;
  readonly deadLetters: Queue;

  constructor(scope: Construct, id: string, props: { worker: IFunction; trigger: QueueTrigger; workerTimeoutSeconds: number }) {
    super(scope, id);
    this.deadLetters = new Queue(this, 'DeadLetters', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.deadLetters).acknowledge({
      id: 'AwsSolutions::AwsSolutions-SQS3',
      reason: 'This is the dead-letter queue of the job queue beside it; it has none of its own.',
    });
    this.queue = new Queue(this, 'Queue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // AWS's advice for Lambda event sources: six times the function's timeout, so a
      // message is not delivered again while a worker may still be storing it.
      visibilityTimeout: Duration.seconds(6 * props.workerTimeoutSeconds),
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.deadLetters, maxReceiveCount: props.trigger.maxReceives },
    });
    props.worker.addEventSource(new SqsEventSource(this.queue, { batchSize: 1, reportBatchItemFailures: true }));
    (props.worker.node.defaultChild as CfnFunction).reservedConcurrentExecutions = props.trigger.concurrency;
  }
}
