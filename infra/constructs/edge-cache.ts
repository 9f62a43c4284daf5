import { Duration, Fn, Validations } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  AllowedMethods,
  type BehaviorOptions,
  CacheHeaderBehavior,
  CachePolicy,
  CacheQueryStringBehavior,
  CachedMethods,
  Distribution,
  OriginRequestPolicy,
  PriceClass,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { Construct } from 'constructs';
import * as z from 'zod/mini';
import type { RouteSpec } from '../../shared/http/route';

type CachedRoute = RouteSpec & { publicCache: NonNullable<RouteSpec['publicCache']> };

/** API Gateway's CORS adds Access-Control-Allow-Origin only when a request carries Origin. */
const corsKeyHeader = 'origin';

/** A route's path as a CloudFront path pattern: `{param}` matches any one segment's text. */
export const pathPattern = (path: string) => path.replace(/\{[^}]+\}/g, '*');

/** The query parameters a route accepts: its schema's properties. */
function queryNames(spec: RouteSpec): string[] {
  if (!spec.query) return [];
  return Object.keys((z.toJSONSchema(spec.query, { io: 'input' }) as { properties?: object }).properties ?? {});
}

/**
 * A CloudFront distribution in front of the HTTP API that keeps the anonymous answers of the
 * routes declaring `publicCache` (the public progress reads) at the edge, so a crowd
 * reading the figures costs the API one request per cache key and edge location every
 * `maxAgeSeconds` instead of taking the stage throttle from writes.
 *
 * Those routes get a behaviour each, whose cache key is what their answers differ by: the
 * headers of their `Vary` (and Origin, for CORS) and the query parameters of their schema
 * (others are dropped, so a stray `?utm_source=` cannot split the cache). The minimum and
 * default TTL are 0, so only an answer that says `public, max-age` is kept, and a token's
 * answer (`private, no-store`, a different key through Authorization) never. Every other
 * request takes the default behaviour: not cached, every viewer header but Host passed on,
 * so the distribution's domain serves the whole API and the progress page (issue 18) can
 * put its bucket at `/` here. The API's own URL keeps working as before.
 */
export class EdgeCache extends Construct {
  readonly distribution: Distribution;
  readonly cachePolicy: CachePolicy;

  constructor(scope: Construct, id: string, props: { api: HttpApi; routes: readonly RouteSpec[] }) {
    super(scope, id);
    const cached = props.routes.filter((r): r is CachedRoute => r.publicCache !== undefined);
    for (const spec of cached) {
      if (spec.method !== 'GET' || spec.access.kind === 'roles') throw new Error(`${spec.method} ${spec.path}: only public GET routes may declare publicCache`);
    }
    const headers = [...new Set([...cached.flatMap((r) => r.publicCache.vary), corsKeyHeader])].sort();
    const queryStrings = [...new Set(cached.flatMap(queryNames))].sort();

    this.cachePolicy = new CachePolicy(this, 'PublicReads', {
      comment: 'kanryu public progress reads: keyed by what the answers Vary on and by their query parameters',
      headerBehavior: CacheHeaderBehavior.allowList(...headers),
      queryStringBehavior: queryStrings.length ? CacheQueryStringBehavior.allowList(...queryStrings) : CacheQueryStringBehavior.none(),
      minTtl: Duration.seconds(0),
      defaultTtl: Duration.seconds(0),
      maxTtl: Duration.seconds(Math.max(...cached.map((r) => r.publicCache.maxAgeSeconds))),
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
    });

    const origin = new HttpOrigin(Fn.select(2, Fn.split('/', props.api.apiEndpoint)));
    const publicRead: BehaviorOptions = {
      origin,
      viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
      allowedMethods: AllowedMethods.ALLOW_GET_HEAD_OPTIONS,
      cachedMethods: CachedMethods.CACHE_GET_HEAD,
      cachePolicy: this.cachePolicy,
      // Origin and the preflight's Access-Control-Request-* headers (the managed policy's
      // name says S3, its list fits any CORS origin): a browser sending a token can still call.
      originRequestPolicy: OriginRequestPolicy.CORS_S3_ORIGIN,
      compress: true,
    };
    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'kanryu API: public progress reads cached, everything else passed through',
      defaultBehavior: {
        origin,
        viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
        allowedMethods: AllowedMethods.ALLOW_ALL,
        cachePolicy: CachePolicy.CACHING_DISABLED,
        originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
      },
      additionalBehaviors: Object.fromEntries(cached.map((r) => [pathPattern(r.path), publicRead])),
      // Edge locations in Japan are in PriceClass_200 (and the price per request is the same).
      priceClass: PriceClass.PRICE_CLASS_200,
    });
    this.acknowledgeReviewedFindings();
  }

  private acknowledgeReviewedFindings() {
    const acknowledge = (rule: string, reason: string) => Validations.of(this.distribution).acknowledge({ id: `AwsSolutions::AwsSolutions-${rule}`, reason });
    acknowledge(
      'CFR1',
      'The progress figures are published for everyone, the press abroad included; a country block would hide public statistics, not protect data.',
    );
    acknowledge(
      'CFR2',
      "A WAF web ACL for CloudFront must live in us-east-1 and this stack is pinned to the environment's region; the origin keeps its stage throttle, and cached reads never reach it.",
    );
    acknowledge(
      'CFR3',
      "CloudFront's standard logs record every viewer's IP address and full URL, which the API's access log deliberately leaves out; every request that is not a cache hit of an anonymous public read reaches the API and its access log, and CloudFront's request and error-rate metrics cover the hits.",
    );
    acknowledge(
      'CFR4',
      "No custom domain yet: on CloudFront's default *.cloudfront.net certificate the viewer TLS policy cannot be chosen. A domain with an ACM certificate (the progress page's, issue 18) sets TLSv1.2_2021.",
    );
  }
}
