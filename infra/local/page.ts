import type { PageAsset } from '../page/build';
import { pageSecurityHeaders } from '../page/headers';
import type { LocalResponse } from './invoke';

/**
 * The progress page on the local host, as CloudFront serves it from the bucket: GET or HEAD
 * of `/`, `/progress` and the hashed assets, with the same security headers. Anything else
 * is for the API.
 */
export function pageServer(assets: readonly PageAsset[]) {
  const byPath = new Map(assets.map((a) => [a.path, a]));
  return (method: string, url: string): LocalResponse | undefined => {
    if (method !== 'GET' && method !== 'HEAD') return undefined;
    const asset = byPath.get(new URL(url, 'http://localhost').pathname);
    if (!asset) return undefined;
    return {
      statusCode: 200,
      headers: { 'content-type': asset.contentType, 'cache-control': asset.cacheControl, ...pageSecurityHeaders },
      body: method === 'HEAD' ? '' : asset.body.toString('utf8'),
    };
  };
}
