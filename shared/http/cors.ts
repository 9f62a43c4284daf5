/**
 * Cross-origin access, declared once: the CDK stack gives it to API Gateway (corsPreflight)
 * and the local host answers the same, so a browser app sees one behaviour in both. Tokens
 * travel in Authorization, never cookies, so any origin may call. Browsers show a script
 * only the safelisted response headers unless exposed: Location of a creation, ETag to
 * revalidate, Idempotent-Replayed, Retry-After and Link are for clients too.
 */
export const CORS = {
  allowOrigins: ['*'],
  allowHeaders: ['authorization', 'content-type', 'idempotency-key', 'if-none-match'],
  allowMethods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
  exposeHeaders: ['location', 'etag', 'idempotent-replayed', 'retry-after', 'link'],
  maxAgeSeconds: 3600,
} as const;

/** What API Gateway answers a preflight (OPTIONS with Origin and Access-Control-Request-Method) with. */
export function preflightHeaders(): Record<string, string> {
  return {
    'access-control-allow-origin': CORS.allowOrigins.join(','),
    'access-control-allow-methods': CORS.allowMethods.join(','),
    'access-control-allow-headers': CORS.allowHeaders.join(','),
    'access-control-max-age': String(CORS.maxAgeSeconds),
  };
}

/** What API Gateway adds to an answer to a request that carries Origin. */
export function corsAnswerHeaders(): Record<string, string> {
  return { 'access-control-allow-origin': CORS.allowOrigins.join(','), 'access-control-expose-headers': CORS.exposeHeaders.join(',') };
}
