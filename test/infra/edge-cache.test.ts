import { readFileSync } from 'node:fs';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../infra/environments';
import { routeKey } from '../../shared/http/route';
import { routeList } from '../../shared/http/routes';

type Resource = { Type: string; Properties: Record<string, any> };
type Behavior = { PathPattern?: string; CachePolicyId: unknown; OriginRequestPolicyId?: unknown; AllowedMethods: string[]; ViewerProtocolPolicy: string };

/** CloudFront's managed policies, by their documented ids. */
const cachingDisabled = '4135ea2d-6df8-44a3-9df3-4b5a84be39ad';
const allViewerExceptHostHeader = 'b689b0a8-53d0-40ab-baf2-68738e2966ac';

const cdkContext = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')).context as Record<string, unknown>;

let resources: Record<string, Resource>;
let outputs: Record<string, unknown>;
let distribution: { DefaultCacheBehavior: Behavior; CacheBehaviors: Behavior[]; Origins: any[] };
let cachePolicyId: string;
let cacheKey: Record<string, any>;

beforeAll(() => {
  const { stack } = createApp({ context: { ...cdkContext, 'aws:cdk:bundling-stacks': [] } });
  const template = Template.fromStack(stack).toJSON();
  resources = template.Resources;
  outputs = template.Outputs;
  const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
  expect(ofType('AWS::CloudFront::Distribution')).toHaveLength(1);
  distribution = ofType('AWS::CloudFront::Distribution')[0]![1].Properties.DistributionConfig;
  const policies = ofType('AWS::CloudFront::CachePolicy');
  expect(policies).toHaveLength(1);
  cachePolicyId = policies[0]![0];
  cacheKey = policies[0]![1].Properties.CachePolicyConfig;
  // Synthesizing every stack with cdk-nag: seconds alone, far more on a machine running other work.
}, 120_000);

/** The behaviour CloudFront applies to a path: the first pattern that matches (`*` any run, `?` one character), else the default. */
function behaviorFor(path: string): Behavior {
  const matches = (pattern: string) =>
    new RegExp(
      `^${pattern
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*/g, '.*')
        .replace(/\?/g, '.')}$`,
    ).test(path);
  return distribution.CacheBehaviors.find((b) => matches(b.PathPattern!)) ?? distribution.DefaultCacheBehavior;
}
const samplePath = (path: string) => path.replace(/\{[^}]+\}/g, 'x1');
type Origin = { Id: string; DomainName: unknown; S3OriginConfig?: unknown; OriginAccessControlId?: unknown };
const originOf = (behavior: Behavior & { TargetOriginId?: string }) =>
  JSON.stringify((distribution.Origins as Origin[]).find((o) => o.Id === behavior.TargetOriginId)?.DomainName);
const isCached = (b: Behavior) => JSON.stringify(b.CachePolicyId) === JSON.stringify({ Ref: cachePolicyId });
const cachedRoutes = routeList.filter((r) => r.publicCache);

describe('the edge cache in front of the API', () => {
  it('caches the public progress reads and nothing else, and outputs its domain', () => {
    expect(cachedRoutes.map(routeKey)).toEqual(expect.arrayContaining(['GET /v1/progress', 'GET /v1/progress/placements']));
    for (const spec of cachedRoutes) {
      expect(spec.access.kind, routeKey(spec)).not.toBe('roles');
      expect(routeKey(spec), 'only public progress reads are cached').toMatch(/^GET \/v1\/progress(\/|$)/);
    }
    for (const spec of routeList) {
      const behavior = behaviorFor(samplePath(spec.path));
      expect(isCached(behavior), routeKey(spec)).toBe(spec.publicCache !== undefined);
    }
    for (const behavior of distribution.CacheBehaviors) {
      if (isCached(behavior)) expect(behavior.AllowedMethods.sort()).toEqual(['GET', 'HEAD', 'OPTIONS']);
      expect(behavior.ViewerProtocolPolicy).toBe('https-only');
    }
    expect(JSON.stringify(distribution.Origins.map((o: { DomainName: unknown }) => o.DomainName))).toContain('ApiEndpoint');
    expect(outputs.EdgeDomainName).toMatchObject({ Value: { 'Fn::GetAtt': [expect.stringMatching(/^EdgeDistribution/), 'DomainName'] } });
  });

  it('keys the cache on every header the answers Vary on and on the query parameters they accept', () => {
    const headers = cacheKey.ParametersInCacheKeyAndForwardedToOrigin.HeadersConfig;
    expect(headers.HeaderBehavior).toBe('whitelist');
    for (const spec of cachedRoutes) for (const vary of spec.publicCache!.vary) expect(headers.Headers, `${routeKey(spec)} varies on ${vary}`).toContain(vary);
    // A token's answer is keyed apart from the public one, and CORS answers by Origin.
    expect(headers.Headers).toEqual(expect.arrayContaining(['accept', 'authorization', 'origin']));
    // Exactly the parameters the routes accept: others are dropped, so they cannot split the cache.
    const accepted = [...new Set(cachedRoutes.flatMap((r) => Object.keys((r.query as { shape?: object } | undefined)?.shape ?? {})))].sort();
    expect(accepted).toEqual(expect.arrayContaining(['fiscalYear', 'prefecture', 'role', 'rule', 'type']));
    expect(cacheKey.ParametersInCacheKeyAndForwardedToOrigin.QueryStringsConfig).toEqual({ QueryStringBehavior: 'whitelist', QueryStrings: accepted });
    expect(cacheKey.ParametersInCacheKeyAndForwardedToOrigin.CookiesConfig).toEqual({ CookieBehavior: 'none' });
  });

  it('keeps only what the API marks public, no longer than the figures may lag (a minute)', () => {
    // A zero minimum and default: `private, no-store` (a token's answer) and answers that say nothing stay out.
    expect(cacheKey).toMatchObject({ MinTTL: 0, DefaultTTL: 0 });
    expect(cacheKey.MaxTTL).toBeLessThanOrEqual(60);
    for (const spec of cachedRoutes) expect(spec.publicCache!.maxAgeSeconds, routeKey(spec)).toBeLessThanOrEqual(cacheKey.MaxTTL);
  });

  it('passes every other route through to the API uncached, with the caller headers but Host', () => {
    const uncached = routeList.filter((r) => !r.publicCache);
    expect(uncached.some((r) => r.access.kind === 'roles')).toBe(true);
    for (const spec of uncached) {
      const behavior = behaviorFor(samplePath(spec.path));
      expect(behavior, routeKey(spec)).not.toBe(distribution.DefaultCacheBehavior);
      expect(behavior, routeKey(spec)).toMatchObject({
        CachePolicyId: cachingDisabled,
        OriginRequestPolicyId: allViewerExceptHostHeader,
        ViewerProtocolPolicy: 'https-only',
      });
      expect(behavior.AllowedMethods.sort(), routeKey(spec)).toEqual(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT']);
      expect(originOf(behavior), routeKey(spec)).toContain('ApiEndpoint');
    }
  });
});

describe('the progress page on the same distribution', () => {
  const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);

  it('serves every path outside the API from a private bucket through origin access control, over HTTPS', () => {
    const [bucketId, bucket] = ofType('AWS::S3::Bucket')[0]!;
    expect(ofType('AWS::S3::Bucket')).toHaveLength(1);
    expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    for (const path of ['/', '/progress', '/index.html', '/assets/app-ABC123.js']) {
      const behavior = behaviorFor(path) as Behavior & { TargetOriginId: string; ResponseHeadersPolicyId?: unknown };
      expect(behavior, path).toBe(distribution.DefaultCacheBehavior);
      expect(originOf(behavior), path).toContain(bucketId);
      expect(behavior.ViewerProtocolPolicy).toBe('redirect-to-https');
      expect(behavior.AllowedMethods.sort()).toEqual(['GET', 'HEAD']);
    }
    expect((distribution as unknown as { DefaultRootObject: string }).DefaultRootObject).toBe('index.html');
    const s3Origin = (distribution.Origins as Origin[]).find((o) => JSON.stringify(o.DomainName).includes(bucketId))!;
    expect(s3Origin.OriginAccessControlId).toBeDefined();
    expect(ofType('AWS::CloudFront::OriginAccessControl')).toHaveLength(1);
    // Only CloudFront reads the bucket, and only over TLS.
    const policy = JSON.stringify(ofType('AWS::S3::BucketPolicy')[0]![1].Properties.PolicyDocument);
    expect(policy).toContain('cloudfront.amazonaws.com');
    expect(policy).toContain('aws:SecureTransport');
    expect(outputs.PageBucketName).toBeDefined();
    expect(outputs.EdgeDistributionId).toBeDefined();
  });

  it("sends the page's security headers", () => {
    const [policyId, policy] = ofType('AWS::CloudFront::ResponseHeadersPolicy')[0]!;
    expect((distribution.DefaultCacheBehavior as unknown as { ResponseHeadersPolicyId: unknown }).ResponseHeadersPolicyId).toEqual({ Ref: policyId });
    const security = policy.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig;
    expect(security.ContentSecurityPolicy.ContentSecurityPolicy).toContain("default-src 'none'");
    expect(security.ContentSecurityPolicy.ContentSecurityPolicy).toContain("connect-src 'self'");
    expect(security.StrictTransportSecurity.AccessControlMaxAgeSec).toBeGreaterThanOrEqual(31_536_000);
    expect(security.FrameOptions.FrameOption).toBe('DENY');
    expect(security.ContentTypeOptions.Override).toBe(true);
  });

  it('adds four resources for the page, and no custom-resource Lambda to upload it', () => {
    expect(ofType('AWS::S3::Bucket').length + ofType('AWS::S3::BucketPolicy').length).toBe(2);
    expect(ofType('AWS::CloudFront::OriginAccessControl').length + ofType('AWS::CloudFront::ResponseHeadersPolicy').length).toBe(2);
    expect(ofType('Custom::CDKBucketDeployment')).toHaveLength(0);
  });

  it('takes a custom domain and its us-east-1 certificate from context, and then requires TLS 1.2', () => {
    const certificateArn = 'arn:aws:acm:us-east-1:123456789012:certificate/abcd-1234';
    const { stack } = createApp({
      context: { ...cdkContext, 'aws:cdk:bundling-stacks': [], pageDomain: 'progress.example.go.jp', pageCertificateArn: certificateArn },
    });
    const config = Object.values(Template.fromStack(stack).toJSON().Resources as Record<string, Resource>).find(
      (r) => r.Type === 'AWS::CloudFront::Distribution',
    )!.Properties.DistributionConfig;
    expect(config.Aliases).toEqual(['progress.example.go.jp']);
    expect(config.ViewerCertificate).toMatchObject({ AcmCertificateArn: certificateArn, MinimumProtocolVersion: 'TLSv1.2_2021', SslSupportMethod: 'sni-only' });
    expect(() =>
      createApp({
        context: {
          ...cdkContext,
          'aws:cdk:bundling-stacks': [],
          pageDomain: 'x.example.go.jp',
          pageCertificateArn: certificateArn.replace('us-east-1', 'ap-northeast-1'),
        },
      }),
    ).toThrow(/us-east-1/);
  });
});
