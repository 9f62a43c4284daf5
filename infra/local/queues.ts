import { randomUUID } from 'node:crypto';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { jobList, type JobSpec } from '../../shared/jobs';
import { serveQueueInProcess } from '../../shared/queues';
import { lambdaContext } from './lambda-context';

/**
 * What SQS and its event source mapping do in AWS, done in process: each queue job of
 * shared/jobs.ts gets an in-process queue whose messages are delivered one per invocation
 * to the very handler Lambda runs, at most `concurrency` at once; a message the handler
 * reports failed comes back after `localRetrySeconds`, doubled at each retry, and after
 * `maxReceives` deliveries is set aside (the dead-letter queue) and logged.
 */
type QueueTrigger = Extract<JobSpec['trigger'], { kind: 'queue' }>;
type Message = { id: string; body: string; receives: number };
type Handler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | undefined>;

class InProcessQueue {
  private readonly waiting: Message[] = [];
  private readonly retrying = new Set<NodeJS.Timeout>();
  private readonly running = new Set<Promise<void>>();
  readonly deadLetters: Message[] = [];
  private handler: Promise<Handler> | undefined;

  constructor(
    private readonly job: JobSpec & { id: string },
    private readonly trigger: QueueTrigger,
  ) {}

  send(bodies: readonly string[]) {
    for (const body of bodies) this.waiting.push({ id: randomUUID(), body, receives: 0 });
    // Like SQS: the sender's request is answered before any delivery starts.
    setImmediate(() => this.pump());
  }

  private pump() {
    while (this.running.size < this.trigger.concurrency && this.waiting.length > 0) {
      const delivery = this.deliver(this.waiting.shift()!);
      this.running.add(delivery);
      void delivery.finally(() => {
        this.running.delete(delivery);
        this.pump();
      });
    }
  }

  private async deliver(message: Message) {
    message.receives++;
    let failed: boolean;
    try {
      this.handler ??= import(new URL(`../../functions/jobs/${this.job.handler}.ts`, import.meta.url).href).then((m: { handler: Handler }) => m.handler);
      const handler = await this.handler;
      const result = await handler(
        { Records: [sqsRecord(message, this.trigger.queue)] },
        lambdaContext(this.job.handler, randomUUID(), { timeoutMs: 120_000, memoryMb: 1024 }),
      );
      failed = (result?.batchItemFailures ?? []).some((f) => f.itemIdentifier === message.id);
    } catch (error) {
      console.error(`queue ${this.trigger.queue}: ${this.job.id} failed: ${error instanceof Error ? error.message : 'unknown error'}`);
      failed = true;
    }
    if (!failed) return;
    if (message.receives >= this.trigger.maxReceives) {
      this.deadLetters.push(message);
      console.error(`queue ${this.trigger.queue}: a message failed ${message.receives} times and was set aside (dead-letter)`);
      return;
    }
    const timer = setTimeout(
      () => {
        this.retrying.delete(timer);
        this.waiting.push(message);
        this.pump();
        // Backing off stands in for SQS's visibility timeout, which outlasts a delivery under way.
      },
      this.trigger.localRetrySeconds * 1000 * 2 ** (message.receives - 1),
    );
    this.retrying.add(timer);
  }

  /** Stops delivering and waits for the deliveries under way. */
  async stop() {
    for (const timer of this.retrying) clearTimeout(timer);
    this.waiting.length = 0;
    await Promise.allSettled([...this.running]);
  }
}

function sqsRecord(message: Message, queue: string): SQSEvent['Records'][number] {
  const now = String(Date.now());
  return {
    messageId: message.id,
    receiptHandle: message.id,
    body: message.body,
    attributes: {
      ApproximateReceiveCount: String(message.receives),
      SentTimestamp: now,
      SenderId: 'local',
      ApproximateFirstReceiveTimestamp: now,
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: `arn:aws:sqs:local:000000000000:${queue}`,
    awsRegion: 'local',
  };
}

let started: { stop: () => Promise<void> } | undefined;

/** Starts the in-process queues (once per process); returns how to stop them. */
export function startLocalQueues(): { stop: () => Promise<void> } {
  if (started) return started;
  const queues = jobList.flatMap((job) =>
    job.trigger.kind === 'queue' ? [{ job, queue: new InProcessQueue(job, job.trigger), name: job.trigger.queue }] : [],
  );
  const unregister = queues.map(({ name, queue }) => serveQueueInProcess(name, (bodies) => queue.send(bodies)));
  started = {
    stop: async () => {
      for (const undo of unregister) undo();
      await Promise.all(queues.map(({ queue }) => queue.stop()));
      started = undefined;
    },
  };
  return started;
}

/** Stops the in-process queues, if started, after the deliveries under way. */
export const stopLocalQueues = async (): Promise<void> => started?.stop();
