import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { parseChunkMessage, processImportChunk } from '../../shared/domain/imports';
import { logger } from '../../shared/log';
import { withOriginalStack } from '../../shared/stack-trace';

/**
 * One chunk of a queued CSV import per message (batch size 1). A message that fails, or
 * whose chunk another delivery is storing right now, is reported back to the queue, which
 * delivers it again later and, after a few tries, to the dead-letter queue.
 */
export const handler = withOriginalStack(async (event: SQSEvent): Promise<SQSBatchResponse> => {
  const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
  for (const record of event.Records) {
    const message = parseChunkMessage(record.body);
    if (!message) {
      logger.error('import queue message malformed', { messageId: record.messageId });
      batchItemFailures.push({ itemIdentifier: record.messageId });
      continue;
    }
    try {
      if ((await processImportChunk(message, new Date())) === 'retry') batchItemFailures.push({ itemIdentifier: record.messageId });
    } catch (error) {
      const { name, message: text } = error instanceof Error ? error : new Error('unknown error');
      logger.error('import chunk failed', { importId: message.importId, chunk: message.chunk, error: { name, message: text } });
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures };
});
