import { authenticateLrsClient } from '../domain/xapi-clients';
import { inconsistentStatements, XAPI_VERSION } from '../domain/xapi-statements';
import type { Statement } from '../schemas/xapi';
import { HttpProblem } from './problem';
import { edgeHandler, type LambdaHandler, type NotPaged, type RouteFunction } from './edge';
import type { RouteSpec } from './route';

/**
 * The edge for routes a provider's learning system calls (access `lrs-client`): the
 * caller is authenticated with the HTTP Basic key and secret issued to its provider,
 * before any input is parsed.
 */
export function lrsHttpHandler<R extends RouteSpec & { access: { kind: 'lrs-client' } }>(spec: R & NotPaged<R>, run: RouteFunction<R>): LambdaHandler {
  return edgeHandler(spec, run, { lrsClients: authenticateLrsClient });
}

/** xAPI: every request names the version it speaks (X-Experience-API-Version: 1.0.x), and every answer the LRS's. */
export function checkXapiVersion(headers: Record<string, string | undefined>): Record<string, string> {
  const version = headers['x-experience-api-version']?.trim();
  if (!version || !/^1\.0(\.\d+)?$/.test(version)) {
    throw new HttpProblem('validation-failed', 'Send the header X-Experience-API-Version: 1.0.3 (this LRS speaks xAPI 1.0.x).', {
      errors: [{ in: 'header', field: 'x-experience-api-version', message: 'required: 1.0.x' }],
    });
  }
  return { 'x-experience-api-version': XAPI_VERSION };
}

/** A request whose statements contradict each other (or the statementId) is a 400, before anything is read. */
export function checkStatementsConsistent(statements: readonly Statement[], statementId?: string): void {
  const problem = inconsistentStatements(statements, statementId);
  if (problem) throw new HttpProblem('validation-failed', problem, { errors: [{ in: 'body', field: 'id', message: problem }] });
}
