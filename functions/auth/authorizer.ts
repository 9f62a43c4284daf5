import type { APIGatewayRequestAuthorizerEventV2, APIGatewaySimpleAuthorizerResult } from 'aws-lambda';
import { authenticate, bearerToken } from '../../shared/http/authenticate';

/**
 * API Gateway authorizer for routes that learners and staff both call (a JWT authorizer
 * trusts one issuer). It runs the handlers' own verification; the handler checks again.
 */
export const handler = async (event: APIGatewayRequestAuthorizerEventV2): Promise<APIGatewaySimpleAuthorizerResult> => {
  try {
    const token = bearerToken(event.headers?.authorization);
    if (!token) return { isAuthorized: false };
    await authenticate(token);
    return { isAuthorized: true };
  } catch {
    return { isAuthorized: false };
  }
};
