import type { APIGatewayRequestAuthorizerEventV2, APIGatewaySimpleAuthorizerResult } from 'aws-lambda';
import { AppError } from '../../shared/errors';
import { bearerToken, verify } from '../../shared/http/authenticate';

/**
 * API Gateway authorizer for routes that learners and staff both call (a JWT authorizer
 * trusts one issuer). It checks what a JWT authorizer would (signature, issuer, audience,
 * expiry); the handler parses the claims and checks again. When the identity provider
 * cannot be reached it fails instead of denying: a denial would be cached for the token.
 */
export const handler = async (event: APIGatewayRequestAuthorizerEventV2): Promise<APIGatewaySimpleAuthorizerResult> => {
  try {
    const token = bearerToken(event.headers?.authorization);
    if (!token) return { isAuthorized: false };
    await verify(token);
    return { isAuthorized: true };
  } catch (error) {
    if (error instanceof AppError && error.kind === 'busy') throw error;
    return { isAuthorized: false };
  }
};
