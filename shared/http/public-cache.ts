import type { RouteSpec } from './route';

type PublicCache = NonNullable<RouteSpec['publicCache']>;

/**
 * Cache-Control and Vary of a route that declares `publicCache`. An anonymous answer is the
 * same for everyone, so shared caches (the edge's CloudFront) keep it for the declared time;
 * an answer to a token is the caller's own and no cache keeps it. Vary goes on both, so no
 * cache answers a token, or a CSV request, with what it kept for an anonymous JSON one.
 */
export function publicCacheHeaders(spec: { publicCache: PublicCache }, actor: unknown): Record<string, string> {
  const { maxAgeSeconds, vary } = spec.publicCache;
  return { 'cache-control': actor ? 'private, no-store' : `public, max-age=${maxAgeSeconds}`, vary: vary.join(', ') };
}
