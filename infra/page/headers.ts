/**
 * The progress page's security headers, one list for the local host and for CloudFront's
 * response headers policy (infra/constructs/edge-cache.ts). The page loads only its own
 * script and style and calls only its own origin (the API behind the same distribution).
 */
export const PAGE_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export const HSTS_SECONDS = 63_072_000;

export const pageSecurityHeaders: Record<string, string> = {
  'content-security-policy': PAGE_CONTENT_SECURITY_POLICY,
  'strict-transport-security': `max-age=${HSTS_SECONDS}; includeSubDomains`,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'strict-origin-when-cross-origin',
};
