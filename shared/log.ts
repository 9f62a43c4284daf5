import { Logger } from '@aws-lambda-powertools/logger';

/**
 * One structured JSON logger for the process. Log lines carry ids, kinds, counts and
 * timings: never request bodies, headers, tokens, names or contact details.
 */
export const logger = new Logger({ serviceName: 'kanryu' });
