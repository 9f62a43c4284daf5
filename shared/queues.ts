import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { loadImportConfig, loadMatchRunQueueUrl } from './config';
import { serviceBusy } from './errors';
import type { QueueName } from './jobs';

/**
 * Sending to the queues the jobs of shared/jobs.ts consume. In AWS an SQS queue whose URL
 * the stack sets; on the local host and in tests an in-process queue (infra/local/queues.ts)
 * that delivers each message to the very job handler Lambda runs.
 */
export type InProcessQueue = (bodies: readonly string[]) => void;

const inProcess = new Map<QueueName, InProcessQueue>();

/** The local host registers its in-process queue here; returns the unregistration. */
export function serveQueueInProcess(queue: QueueName, deliver: InProcessQueue): () => void {
  inProcess.set(queue, deliver);
  return () => {
    if (inProcess.get(queue) === deliver) inProcess.delete(queue);
  };
}

const urls: Record<QueueName, () => string | undefined> = {
  imports: () => loadImportConfig(process.env).queueUrl,
  'match-runs': () => loadMatchRunQueueUrl(process.env),
};

let sqs: SQSClient | undefined;

/** SendMessageBatch takes at most 10 entries. */
const BATCH = 10;

export async function sendToQueue(queue: QueueName, bodies: readonly string[]): Promise<void> {
  const url = urls[queue]();
  if (!url) {
    const deliver = inProcess.get(queue);
    if (!deliver)
      throw new Error(`invalid configuration: no URL for the ${queue} queue and no in-process queue serves it (the local host and the tests start one)`);
    deliver(bodies);
    return;
  }
  sqs ??= new SQSClient({});
  for (let start = 0; start < bodies.length; start += BATCH) {
    let entries = bodies.slice(start, start + BATCH).map((body, i) => ({ Id: String(start + i), MessageBody: body }));
    // Entries SQS could not take this time are sent again, once; then the caller may retry.
    for (let attempt = 0; entries.length > 0; attempt++) {
      const { Failed } = await sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: entries }));
      const failed = new Set((Failed ?? []).map((f) => f.Id));
      entries = entries.filter((e) => failed.has(e.Id));
      if (entries.length > 0 && attempt >= 1) throw serviceBusy(`The ${queue} queue did not take ${entries.length} messages; retry shortly.`);
    }
  }
}
