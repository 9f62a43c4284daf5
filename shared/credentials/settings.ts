/**
 * Where the service is reached from outside: credentials name their issuer, status lists
 * and keys by absolute URLs under it, so it must stay stable for as long as credentials
 * are valid (a custom domain in production). The stack sets `KANRYU_PUBLIC_BASE_URL`; the
 * local host and tests use http://localhost:<PORT>.
 */
export function publicBaseUrl(env: Record<string, string | undefined> = process.env): string {
  const configured = env.KANRYU_PUBLIC_BASE_URL;
  if (configured) {
    if (!/^https?:\/\/[^\s/]+(\/[^\s]*)?$/.test(configured)) throw new Error('invalid configuration: KANRYU_PUBLIC_BASE_URL must be an http(s) URL');
    return configured.replace(/\/+$/, '');
  }
  if (env.AWS_LAMBDA_FUNCTION_NAME) throw new Error('invalid configuration: KANRYU_PUBLIC_BASE_URL is required in Lambda (the stack sets it)');
  return `http://localhost:${env.PORT || '3000'}`;
}
