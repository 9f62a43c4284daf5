import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { logger } from '../../log';
import { originalStack } from '../../stack-trace';
import { toProblem } from '../problem';

/** The one place where anything thrown becomes an RFC 9457 answer. */
export function problemResponses(): MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2> {
  return {
    onError: (request) => {
      const problem = toProblem(request.error, request.event.rawPath);
      if (problem.statusCode >= 500) {
        const error = request.error;
        // Name, message and stack only: error messages of this code base never carry personal data.
        logger.error('request failed', { error: { name: error?.name, message: error?.message, stack: originalStack(error?.stack) } });
      }
      request.response = { ...problem, headers: { ...problem.headers, ...baseHeaders } };
    },
  };
}

export const baseHeaders = { 'x-content-type-options': 'nosniff' } as const;
