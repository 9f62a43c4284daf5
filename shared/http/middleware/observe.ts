import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { logger } from '../../log';

/**
 * Tags every log line of the invocation with the API request id and writes one access
 * line per request: route, status and latency. No path values (they can hold ids of
 * people), no query, no body.
 */
export function observe(): MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2> {
  const started = new WeakMap<object, number>();
  const finish = (request: { event: APIGatewayProxyEventV2; response: APIGatewayProxyStructuredResultV2 | null }) => {
    const began = started.get(request.event) ?? Date.now();
    logger.info('request', {
      route: request.event.routeKey,
      status: request.response?.statusCode,
      latencyMs: Date.now() - began,
    });
    logger.resetKeys();
  };
  return {
    before: (request) => {
      started.set(request.event, Date.now());
      logger.appendKeys({ requestId: request.event.requestContext?.requestId, awsRequestId: request.context.awsRequestId });
    },
    after: finish,
    onError: finish,
  };
}
