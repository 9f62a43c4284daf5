import { Duration, Fn, Validations } from 'aws-cdk-lib';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  AllowedMethods,
  type BehaviorOptions,
  CacheHeaderBehavior,
  CachePolicy,
  CacheQueryStringBehavior,
  CachedMethods,
  Distribution,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  OriginRequestPolicy,
  PriceClass,
  ResponseHeadersPolicy,
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import * as z from 'zod/mini';
import type { RouteSpec } from '../../shared/http/route';
import { HSTS_SECONDS, PAGE_CONTENT_SECURITY_POLICY } from '../page/headers';

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

/** The paths of the API (every route is under one of them); the rest is the progress page's bucket. */
export const API_PATH_PATTERNS = ['/v1/*', '/health', '/openapi.json', '/.well-known/*', '/xapi/*'] as const;

/**
 * The page's own domain, from CDK context (`-c pageDomain=… -c pageCertificateArn=…`): an
 * ACM certificate for CloudFront lives in us-east-1 whatever the stack's region.
 */
export function pageDomainFromContext(scope: Construct): { domainName: string; certificateArn: string } | undefined {
  const domainName = scope.node.tryGetContext('pageDomain') as string | undefined;
  const certificateArn = scope.node.tryGetContext('pageCertificateArn') as string | undefined;
  if (!domainName && !certificateArn) return undefined;
  if (!domainName || !certificateArn) throw new Error('pageDomain and pageCertificateArn go together: the domain needs its certificate');
  if (!/^arn:aws:acm:us-east-1:\d{12}:certificate\/[\w-]+$/.test(certificateArn)) {
    throw new Error(`pageCertificateArn must be an ACM certificate in us-east-1 (CloudFront's region for certificates), not ${certificateArn}`);
  }
  return { domainName, certificateArn };
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
 * so the distribution's domain serves the whole API (API_PATH_PATTERNS). The API's own URL
 * keeps working as before.
 *
 * Everything else is the public progress page (web/progress): a private S3 bucket read
 * through origin access control, HTTPS only, with the page's security headers (its CSP
 * allows only its own script, style and origin). One distribution for page and API: the
 * page calls the API on its own origin (no CORS), its data calls are the cached public
 * reads, and the page adds four resources (bucket, bucket policy, access control, headers
 * policy). The page is uploaded with `aws s3 sync` (README, Deploy), not by a
 * BucketDeployment, whose custom resource would add a Lambda function, its role and
 * policy and a layer for what four commands do. The bucket holds only that build output,
 * so it stays with the distribution in the stateless stack: its policy names the
 * distribution, which the data stack could not reference without depending on this one.
 */
export class EdgeCache extends Construct {
  readonly distribution: Distribution;
  readonly cachePolicy: CachePolicy;
  readonly pageBucket: Bucket;

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
    const passThrough: BehaviorOptions = {
      origin,
      viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
      allowedMethods: AllowedMethods.ALLOW_ALL,
      cachePolicy: CachePolicy.CACHING_DISABLED,
      originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
    };

    this.pageBucket = new Bucket(this, 'PageBucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
    });
    const pageHeaders = new ResponseHeadersPolicy(this, 'PageHeaders', {
      comment: 'kanryu progress page: CSP (own script, style and origin only), HSTS, no framing, no sniffing',
      securityHeadersBehavior: {
        contentSecurityPolicy: { contentSecurityPolicy: PAGE_CONTENT_SECURITY_POLICY, override: true },
        strictTransportSecurity: { accessControlMaxAge: Duration.seconds(HSTS_SECONDS), includeSubdomains: true, override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN, override: true },
      },
    });
    const domain = pageDomainFromContext(this);
    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'kanryu: the progress page from S3; the API with its public progress reads cached',
      defaultRootObject: 'index.html',
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.pageBucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: pageHeaders,
        compress: true,
      },
      // The first matching pattern wins: the cached reads before the API's catch-all.
      additionalBehaviors: {
        ...Object.fromEntries(cached.map((r) => [pathPattern(r.path), publicRead])),
        ...Object.fromEntries(API_PATH_PATTERNS.map((pattern) => [pattern, passThrough])),
      },
      ...(domain
        ? {
            domainNames: [domain.domainName],
            certificate: Certificate.fromCertificateArn(this, 'PageCertificate', domain.certificateArn),
            minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
          }
        : {}),
      // Edge locations in Japan are in PriceClass_200 (and the price per request is the same).
      priceClass: PriceClass.PRICE_CLASS_200,
    });
    this.acknowledgeReviewedFindings(domain !== undefined);
  }

  private acknowledgeReviewedFindings(customDomain: boolean) {
    Validations.of(this.pageBucket).acknowledge({
      id: 'AwsSolutions::AwsSolutions-S1',
      reason:
        'The bucket holds only the public progress page and is read only by this distribution (origin access control); server access logs would record nothing but CloudFront fetching a few static files.',
    });
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
    if (!customDomain) {
      acknowledge(
        'CFR4',
        "No custom domain given (context pageDomain and pageCertificateArn): on CloudFront's default *.cloudfront.net certificate the viewer TLS policy cannot be chosen. With a domain and its ACM certificate the distribution requires TLSv1.2_2021.",
      );
    }
  }
}
