import { readFileSync } from 'node:fs';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { throttledOperations } from '../../infra/constructs/alarms';
import { Identity } from '../../infra/constructs/identity';
import { routeFamily } from '../../infra/constructs/route-groups';
import { createApp, environmentSettings } from '../../infra/environments';
import type { KanryuDataStack } from '../../infra/stacks/data-stack';
import type { KanryuStack } from '../../infra/stacks/kanryu-stack';
import { mainTable } from '../../shared/data/table';
import { CORS } from '../../shared/http/cors';
import { routeKey, servedMethods } from '../../shared/http/route';
import { routeList } from '../../shared/http/routes';
import { jobList } from '../../shared/jobs';
import { aggregationMetrics } from '../../shared/metrics';
import { allResources } from './assembly';

type Resource = { Type: string; Properties: Record<string, any>; DependsOn?: string[] };

/** cdk.json's context, as the CLI hands it to the app; skipping bundling keeps this fast (`npm run synth` bundles for real). */
const cdkContext = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')).context as Record<string, unknown>;
const contextWith = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({ ...cdkContext, 'aws:cdk:bundling-stacks': [], ...extra });

let stack: KanryuStack;
let data: KanryuDataStack;
let app: App;
let template: Template;
let resources: Record<string, Resource>;

beforeAll(() => {
  // The CLI's environment names another region: the stack must stay where cdk.json says.
  const saved = { region: process.env.CDK_DEFAULT_REGION, account: process.env.CDK_DEFAULT_ACCOUNT };
  process.env.CDK_DEFAULT_REGION = 'us-east-1';
  process.env.CDK_DEFAULT_ACCOUNT = '123456789012';
  try {
    ({ app, stack, data } = createApp({ context: contextWith() }));
  } finally {
    for (const [key, value] of [
      ['CDK_DEFAULT_REGION', saved.region],
      ['CDK_DEFAULT_ACCOUNT', saved.account],
    ] as const) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
  // The API stack's own template; `resources` holds every stack's, nested ones included,
  // keyed <stack path>/<logical id> with references followed across them (./assembly.ts).
  template = Template.fromStack(stack);
  resources = allResources(app);
  // Synthesizing every stack with cdk-nag: seconds alone, far more on a machine running other work.
}, 120_000);

const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);

/** The function a route's integration points at, by following the template's references. */
function functionOfRoute(key: string): Resource {
  const [, routeResource] = ofType('AWS::ApiGatewayV2::Route').find(([, r]) => r.Properties.RouteKey === key)!;
  const integrationId = routeResource.Properties.Target['Fn::Join'][1][1].Ref as string;
  const integration = resources[integrationId]!;
  const functionId = integration.Properties.IntegrationUri['Fn::GetAtt'][0] as string;
  return resources[functionId]!;
}

function policyActionsOf(fn: Resource): string[] {
  const roleId = fn.Properties.Role['Fn::GetAtt'][0] as string;
  return ofType('AWS::IAM::Policy')
    .filter(([, p]) => p.Properties.Roles.some((r: { Ref: string }) => r.Ref === roleId))
    .flatMap(([, p]) => p.Properties.PolicyDocument.Statement.flatMap((s: { Action: string | string[] }) => [s.Action].flat()));
}

describe('the HTTP API', () => {
  it('answers browsers as the local host does (shared/http/cors.ts)', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      CorsConfiguration: {
        AllowOrigins: [...CORS.allowOrigins],
        AllowHeaders: [...CORS.allowHeaders],
        AllowMethods: [...CORS.allowMethods],
        ExposeHeaders: [...CORS.exposeHeaders],
        MaxAge: CORS.maxAgeSeconds,
      },
    });
  });

  it('has exactly the routes of the route table', () => {
    const synthesized = ofType('AWS::ApiGatewayV2::Route')
      .map(([, r]) => r.Properties.RouteKey as string)
      .sort();
    expect(synthesized).toEqual(routeList.flatMap((spec) => servedMethods(spec).map((method) => routeKey({ method, path: spec.path }))).sort());
  });

  it('answers HEAD on every GET route through the GET route function and authorizer', () => {
    const routeOf = (key: string) => ofType('AWS::ApiGatewayV2::Route').find(([, r]) => r.Properties.RouteKey === key)![1].Properties;
    for (const spec of routeList.filter((r) => r.method === 'GET')) {
      const get = routeOf(routeKey(spec));
      const head = routeOf(`HEAD ${spec.path}`);
      expect(head.Target, spec.path).toEqual(get.Target);
      expect([head.AuthorizationType, head.AuthorizerId], spec.path).toEqual([get.AuthorizationType, get.AuthorizerId]);
    }
  });

  it('puts the Cognito JWT authorizer on every route that needs a role, and only there', () => {
    for (const spec of routeList) {
      const [, route] = ofType('AWS::ApiGatewayV2::Route').find(([, r]) => r.Properties.RouteKey === routeKey(spec))!;
      expect(route.Properties.AuthorizationType, routeKey(spec)).toEqual(spec.access.kind === 'roles' ? expect.stringMatching(/^(JWT|CUSTOM)$/) : 'NONE');
    }
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: { Audience: [Match.anyValue()], Issuer: Match.anyValue() },
    });
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'REQUEST',
      EnableSimpleResponses: true,
      IdentitySource: ['$request.header.Authorization'],
    });
  });

  it('sends the logs of every route and job to one log group kept three months', () => {
    const ours = ofType('AWS::Lambda::Function').filter(([, f]) => f.Properties.Environment?.Variables?.POWERTOOLS_SERVICE_NAME === 'kanryu');
    const groups = new Set(ours.map(([, f]) => JSON.stringify(f.Properties.LoggingConfig?.LogGroup)));
    // The routes' and jobs' group, and the authorizer's own.
    expect(groups.size).toBe(2);
    for (const [, group] of ofType('AWS::Logs::LogGroup')) expect(group.Properties.RetentionInDays).toBeGreaterThanOrEqual(90);
  });

  it("alarms on the 5xx rate, throttles and every function's errors", () => {
    const alarms = ofType('AWS::CloudWatch::Alarm').map(([, a]) => JSON.stringify(a.Properties));
    expect(alarms.some((a) => a.includes('5xx') && a.includes('Count'))).toBe(true);
    expect(alarms.some((a) => a.includes('ThrottledRequests'))).toBe(true);
    const ours = ofType('AWS::Lambda::Function').filter(([, f]) => f.Properties.Environment?.Variables?.POWERTOOLS_SERVICE_NAME === 'kanryu');
    for (const [id] of ours)
      expect(
        alarms.some((a) => a.includes(id) && a.includes('Errors')),
        id,
      ).toBe(true);
    for (const [, a] of ofType('AWS::CloudWatch::Alarm')) expect(a.Properties.AlarmActions).toHaveLength(1);
  });

  it('logs access without paths or identities and throttles the stage', () => {
    const [, stage] = ofType('AWS::ApiGatewayV2::Stage')[0]!;
    const format = JSON.parse(stage.Properties.AccessLogSettings.Format);
    expect(Object.values(format)).not.toContain('$context.path');
    expect(Object.values(format).join(' ')).not.toMatch(/identity|authorizer\.claims|sourceIp/);
    expect(stage.Properties.DefaultRouteSettings).toMatchObject({ ThrottlingRateLimit: 200, ThrottlingBurstLimit: 400 });
  });
});

describe('functions', () => {
  it('run on the newest Node.js runtime on arm64 with the auth configuration', () => {
    for (const spec of routeList) {
      const fn = functionOfRoute(routeKey(spec));
      expect(fn.Properties.Runtime, spec.id).toBe('nodejs24.x');
      expect(fn.Properties.Architectures, spec.id).toEqual(['arm64']);
      expect(Object.keys(fn.Properties.Environment.Variables), spec.id).toEqual(
        expect.arrayContaining(['AUTH_LEARNER_ISSUER', 'AUTH_LEARNER_AUDIENCE', 'AUTH_STAFF_ISSUER', 'AUTH_STAFF_AUDIENCE', 'KANRYU_SERVICE_KEYS_ARN']),
      );
      expect(policyActionsOf(fn), spec.id).toEqual(expect.arrayContaining(['secretsmanager:GetSecretValue']));
      expect(fn.Properties.LoggingConfig.LogFormat).toBe('JSON');
    }
  });

  it('get exactly the table access their route declares', () => {
    for (const spec of routeList) {
      const fn = functionOfRoute(routeKey(spec));
      const actions = policyActionsOf(fn);
      const hasTableName = 'TABLE_NAME' in fn.Properties.Environment.Variables;
      if (spec.data === 'none') {
        expect(
          actions.filter((a) => a.startsWith('dynamodb:')),
          spec.id,
        ).toEqual([]);
        expect(hasTableName, spec.id).toBe(false);
      } else {
        expect(actions, spec.id).toContain('dynamodb:Query');
        expect(hasTableName, spec.id).toBe(true);
        const writes = actions.filter((a) => /PutItem|UpdateItem|DeleteItem|BatchWriteItem/.test(a));
        expect(writes.length > 0, spec.id).toBe(spec.data === 'read-write');
      }
    }
  });

  it('has one function per route and per job; routes share a role only when granted exactly the same; no managed policy', () => {
    const ours = ofType('AWS::Lambda::Function').filter(([, f]) => f.Properties.Environment?.Variables?.POWERTOOLS_SERVICE_NAME === 'kanryu');
    // One per route, one per job, and the authorizer for routes both pools call.
    expect(ours).toHaveLength(routeList.length + jobList.length + 1);
    const roleOf = (description: string) => ours.find(([, f]) => f.Properties.Description === description)![1].Properties.Role['Fn::GetAtt'][0] as string;
    const roleIds = ours.map(([, f]) => f.Properties.Role['Fn::GetAtt'][0] as string);
    for (const roleId of roleIds) expect(resources[roleId]!.Properties.ManagedPolicyArns, roleId).toBeUndefined();
    const routesOfRole = new Map<string, (typeof routeList)[number][]>();
    for (const spec of routeList) {
      const roleId = roleOf(`${spec.method} ${spec.path}`);
      routesOfRole.set(roleId, [...(routesOfRole.get(roleId) ?? []), spec]);
    }
    const senders = new Set(jobList.flatMap((job) => (job.trigger.kind === 'queue' ? job.trigger.senders : [])));
    for (const [roleId, specs] of routesOfRole) {
      if (specs.length === 1) continue;
      expect(new Set(specs.map((spec) => spec.data)).size, roleId).toBe(1);
      expect(
        specs.filter((spec) => spec.startsWorkflow || senders.has(spec.id)).map((spec) => spec.id),
        roleId,
      ).toEqual([]);
    }
    // A job never shares its role; read-only routes' shared role cannot write.
    for (const job of jobList)
      expect(
        roleIds.filter((id) => id === roleOf(job.description)),
        job.id,
      ).toHaveLength(1);
    const readRoute = routeList.find((r) => r.data === 'read' && !r.startsWorkflow && !senders.has(r.id))!;
    const readRole = roleOf(`${readRoute.method} ${readRoute.path}`);
    const actions = ofType('AWS::IAM::Policy')
      .filter(([, policy]) => JSON.stringify(policy.Properties.Roles).includes(readRole))
      .flatMap(([, policy]) => policy.Properties.PolicyDocument.Statement.flatMap((st: { Action: string | string[] }) => [st.Action].flat()));
    expect(actions).toContain('dynamodb:Query');
    expect(actions.filter((a: string) => /dynamodb:(Put|Update|Delete|BatchWrite)/.test(a))).toEqual([]);
  });
});

describe('data and identity', () => {
  it('keeps the table safe: PITR, deletion protection, on-demand, the indexes of the definition', () => {
    Template.fromStack(data).hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      BillingMode: 'PAY_PER_REQUEST',
      Replicas: [Match.objectLike({ PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true }, DeletionProtectionEnabled: true })],
      GlobalSecondaryIndexes: Match.arrayWith([
        Match.objectLike({ IndexName: 'gsi1', Projection: { ProjectionType: 'ALL' } }),
        Match.objectLike({ IndexName: 'pending', Projection: { ProjectionType: 'KEYS_ONLY' } }),
      ]),
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    });
  });

  const pools = () => ofType('AWS::Cognito::UserPool');
  const poolNamed = (name: string) => pools().find(([id]) => id.includes(name))!;
  const clientsOf = (poolId: string) => ofType('AWS::Cognito::UserPoolClient').filter(([, c]) => c.Properties.UserPoolId.Ref === poolId);

  it('has two pools: learners who sign up themselves, staff whom administrators create', () => {
    expect(pools()).toHaveLength(2);
    const [, learners] = poolNamed('Learners');
    const [, staff] = poolNamed('Staff');
    expect(learners.Properties.AdminCreateUserConfig?.AllowAdminCreateUserOnly ?? false).toBe(false);
    expect(staff.Properties.AdminCreateUserConfig.AllowAdminCreateUserOnly).toBe(true);
    // Nothing a learner could write decides a role: the learners' pool has no such attribute.
    expect(learners.Properties.Schema.filter((a: { Name: string }) => !['email'].includes(a.Name))).toEqual([]);
  });

  it('requires MFA for every staff account', () => {
    const [, staff] = poolNamed('Staff');
    expect(staff.Properties.MfaConfiguration).toBe('ON');
    expect(staff.Properties.EnabledMfas).toEqual(['SOFTWARE_TOKEN_MFA']);
  });

  it('lets no app client write a role, prefecture or organisation (an absent write list means all)', () => {
    const clients = ofType('AWS::Cognito::UserPoolClient');
    expect(clients).toHaveLength(2);
    for (const [id, client] of clients) {
      const writable: string[] | undefined = client.Properties.WriteAttributes;
      expect(writable, `${id} has no write list, so every attribute is writable`).toBeDefined();
      expect(
        writable!.filter((a) => a.startsWith('custom:') || /role|prefecture|org/.test(a)),
        id,
      ).toEqual([]);
    }
    const [staffPoolId] = poolNamed('Staff');
    expect(clientsOf(staffPoolId)).toHaveLength(1);
  });

  it('gives staff roles as Cognito groups, one per staff role', () => {
    const groups = ofType('AWS::Cognito::UserPoolGroup')
      .map(([, g]) => g.Properties.GroupName)
      .sort();
    expect(groups).toEqual(['admin', 'center', 'employer', 'municipality', 'provider']);
  });

  it('offers no implicit OAuth flow and no example callback URL', () => {
    for (const [id, client] of ofType('AWS::Cognito::UserPoolClient')) {
      expect(client.Properties.AllowedOAuthFlows ?? [], id).not.toContain('implicit');
      expect(client.Properties.CallbackURLs ?? [], id).toEqual([]);
      expect(JSON.stringify(client.Properties), id).not.toContain('example.com');
    }
  });

  it('puts each route behind the authorizer of the pools its roles come from', () => {
    const authorizers = Object.fromEntries(ofType('AWS::ApiGatewayV2::Authorizer').map(([id, a]) => [id, a.Properties]));
    for (const spec of routeList) {
      if (spec.access.kind !== 'roles') continue;
      const [, route] = ofType('AWS::ApiGatewayV2::Route').find(([, r]) => r.Properties.RouteKey === routeKey(spec))!;
      const authorizer = authorizers[route.Properties.AuthorizerId.Ref]!;
      const roles = spec.access.roles as readonly string[];
      const mixed = roles.includes('learner') && roles.some((r) => r !== 'learner');
      expect(authorizer.AuthorizerType, spec.id).toBe(mixed ? 'REQUEST' : 'JWT');
      if (!mixed) {
        const issuer = JSON.stringify(authorizer.JwtConfiguration.Issuer);
        expect(issuer, spec.id).toContain(roles.includes('learner') ? 'Learners' : 'Staff');
      }
    }
  });

  it('seeds the catalog after every deploy through a trigger', () => {
    template.resourceCountIs('Custom::Trigger', 1);
  });

  it('rebuilds derived state as a Distributed Map over learner segments, started by catalog installs and by the deploy trigger', () => {
    const rebuild = ofType('AWS::StepFunctions::StateMachine').find(([, m]) => JSON.stringify(m.Properties.DefinitionString).includes('DISTRIBUTED'));
    expect(rebuild).toBeDefined();
    const definition = JSON.stringify(rebuild![1].Properties.DefinitionString);
    expect(definition).toContain('$.segments');
    expect(definition).toContain('SegmentDone?');
    expect(rebuild![1].Properties.LoggingConfiguration.IncludeExecutionData).toBe(false);
    expect(Object.keys(functionOfRoute('POST /v1/catalog/versions').Properties.Environment.Variables)).toContain('REBUILD_STATE_MACHINE_ARN');
    expect(Object.keys(functionOfRoute('POST /v1/rebuilds').Properties.Environment.Variables)).toContain('REBUILD_STATE_MACHINE_ARN');
  });

  it('runs the aggregation every minute and the national round as a Step Functions Map over prefectures', () => {
    template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(1 minute)' });
    const [, machine] = ofType('AWS::StepFunctions::StateMachine')[0]!;
    const definition = JSON.stringify(machine.Properties.DefinitionString);
    expect(definition).toContain('\\"Type\\":\\"Map\\"');
    expect(definition).toContain('$.prefectures');
    expect(machine.Properties.LoggingConfiguration.IncludeExecutionData).toBe(false);
    const starter = functionOfRoute('POST /v1/national-match-runs');
    expect(Object.keys(starter.Properties.Environment.Variables)).toContain('NATIONAL_ROUND_STATE_MACHINE_ARN');
    expect(policyActionsOf(starter)).toContain('states:StartExecution');
    expect(policyActionsOf(functionOfRoute('POST /v1/match-runs'))).not.toContain('states:StartExecution');
  });
});

describe('environments', () => {
  it('keeps the stacks in the region cdk.json names, whatever CDK_DEFAULT_REGION says', () => {
    for (const [each, name] of [
      [data, 'Kanryu-dev'],
      [stack, 'Kanryu-dev-api'],
    ] as const) {
      expect(each.region).toBe('ap-northeast-1');
      expect(each.stackName).toBe(name);
      expect(app.synth().getStackByName(each.stackName).environment.region).toBe('ap-northeast-1');
    }
  });

  it('keeps the state in a termination-protected stack the API stack depends on, and every template far from 500 resources', () => {
    expect(data.terminationProtection).toBe(true);
    expect(stack.dependencies).toContain(data);
    const stateful = ['AWS::DynamoDB::GlobalTable', 'AWS::Cognito::UserPool', 'AWS::KMS::Key', 'AWS::SecretsManager::Secret'];
    for (const [id, r] of Object.entries(resources).filter(([, r]) => stateful.includes(r.Type))) expect(id, r.Type).toMatch(/^Kanryu-dev\//);
    const perTemplate = new Map<string, number>();
    for (const id of Object.keys(resources)) perTemplate.set(id.slice(0, id.lastIndexOf('/')), (perTemplate.get(id.slice(0, id.lastIndexOf('/'))) ?? 0) + 1);
    for (const [name, count] of perTemplate) expect(count, name).toBeLessThanOrEqual(400);
  });

  it("puts each route's function in the nested stack of its path's family, so a route never moves", () => {
    for (const spec of routeList) {
      const [id] = ofType('AWS::Lambda::Function').find(([, f]) => f.Properties.Description === `${spec.method} ${spec.path}`)!;
      expect(id, spec.id).toMatch(new RegExp(`^Kanryu-dev-api/Routes-${routeFamily(spec.path)}/`));
    }
    expect(['/v1/learners/{learnerId}/skills', '/xapi/statements', '/.well-known/jwks.json', '/health'].map(routeFamily)).toEqual([
      'learners',
      'xapi',
      'well-known',
      'health',
    ]);
  });

  const context = (extra: Record<string, unknown>) => {
    const all = contextWith(extra);
    return (key: string) => all[key];
  };
  const sender = { fromEmail: 'no-reply@kanryu.pref-demo.jp', sesVerifiedDomain: 'kanryu.pref-demo.jp' };
  const environments = cdkContext['kanryu:environments'] as Record<string, Record<string, unknown>>;

  it('takes the stack name and settings of the environment named with -c env=', () => {
    const staging = environmentSettings(
      context({ env: 'staging', 'kanryu:environments': { ...environments, staging: { ...environments.staging, email: sender } } }),
    );
    expect(staging).toMatchObject({ name: 'staging', stackName: 'Kanryu-staging', region: 'ap-northeast-1', email: sender });
    expect(() => environmentSettings(context({ env: 'qa' }))).toThrow(/env=qa: expected one of dev, staging, production/);
  });

  it('refuses staging and production without a real SES sender', () => {
    expect(() => environmentSettings(context({ env: 'staging' }))).toThrow(/kanryu:environments\.staging\.email is required/);
    const copiedPlaceholder = { ...environments, production: { ...environments.production, email: environments.dev!.email } };
    expect(() => environmentSettings(context({ env: 'production', 'kanryu:environments': copiedPlaceholder }))).toThrow(/placeholder \(kanryu\.example\.jp\)/);
    const badRegion = { ...environments, dev: { ...environments.dev, region: 'tokyo' } };
    expect(() => environmentSettings(context({ 'kanryu:environments': badRegion }))).toThrow(/kanryu:environments\.dev\.region/);
  });
});

/** The metrics an alarm watches: its own, or those of its metric math. */
function alarmMetrics(alarm: Resource): { key: string; dimensions: Record<string, unknown> }[] {
  const p = alarm.Properties;
  const dims = (list: { Name: string; Value: unknown }[] = []) => Object.fromEntries(list.map((d) => [d.Name, d.Value]));
  if (p.MetricName) return [{ key: `${p.Namespace} ${p.MetricName}`, dimensions: dims(p.Dimensions) }];
  return (p.Metrics as any[])
    .filter((m) => m.MetricStat)
    .map((m) => ({ key: `${m.MetricStat.Metric.Namespace} ${m.MetricStat.Metric.MetricName}`, dimensions: dims(m.MetricStat.Metric.Dimensions) }));
}

/** The dimension sets each metric is published with (CloudWatch docs, and shared/metrics.ts for kanryu's own). */
const tableOrIndex = [['TableName'], ['GlobalSecondaryIndexName', 'TableName']];
const validDimensions: Record<string, string[][]> = {
  'AWS/ApiGateway Count': [['ApiId', 'Stage']],
  'AWS/ApiGateway 5xx': [['ApiId', 'Stage']],
  'AWS/DynamoDB ThrottledRequests': [['Operation', 'TableName']],
  'AWS/DynamoDB ReadThrottleEvents': tableOrIndex,
  'AWS/DynamoDB WriteThrottleEvents': tableOrIndex,
  'AWS/Lambda Errors': [['FunctionName']],
  'AWS/Lambda Throttles': [['FunctionName']],
  'AWS/States ExecutionsFailed': [['StateMachineArn']],
  'AWS/States ExecutionsTimedOut': [['StateMachineArn']],
  [`Kanryu ${aggregationMetrics.oldestPendingAge.name}`]: [['FunctionName']],
  [`Kanryu ${aggregationMetrics.passes.name}`]: [['FunctionName']],
  'Kanryu ApiThrottled': [['ApiId']],
};

describe('alarms and dashboard', () => {
  const alarms = () => ofType('AWS::CloudWatch::Alarm');
  const watching = (key: string, dimensions: Record<string, unknown> = {}) =>
    alarms().filter(([, a]) =>
      alarmMetrics(a).some((m) => m.key === key && Object.entries(dimensions).every(([k, v]) => JSON.stringify(m.dimensions[k]) === JSON.stringify(v))),
    );

  it('watch only metrics that exist, with the dimensions CloudWatch publishes them under', () => {
    for (const [id, alarm] of alarms()) {
      for (const metric of alarmMetrics(alarm)) {
        expect(validDimensions[metric.key], `${id}: ${metric.key}`).toBeDefined();
        expect(validDimensions[metric.key], `${id}: ${metric.key} by ${Object.keys(metric.dimensions)}`).toContainEqual(Object.keys(metric.dimensions).sort());
      }
    }
  });

  it('page on DynamoDB throttling for each operation and each index of the table definition', () => {
    for (const op of throttledOperations) expect(watching('AWS/DynamoDB ThrottledRequests', { Operation: op }), op).toHaveLength(1);
    for (const index of mainTable.indexes) {
      for (const metric of ['ReadThrottleEvents', 'WriteThrottleEvents']) {
        expect(watching(`AWS/DynamoDB ${metric}`, { GlobalSecondaryIndexName: index.name }), `${index.name} ${metric}`).toHaveLength(1);
      }
    }
  });

  it('count 429s only, from the access log, not every 4xx', () => {
    expect(watching('AWS/ApiGateway 4xx')).toEqual([]);
    const [, stage] = ofType('AWS::ApiGatewayV2::Stage')[0]!;
    const format = JSON.parse(stage.Properties.AccessLogSettings.Format);
    expect(format).toMatchObject({ status: '$context.status', apiId: '$context.apiId' });
    const [, filter] = ofType('AWS::Logs::MetricFilter')[0]!;
    expect(filter.Properties.FilterPattern).toBe('{ $.status = "429" }');
    expect(filter.Properties.LogGroupName).toEqual({ Ref: stage.Properties.AccessLogSettings.DestinationArn['Fn::GetAtt'][0] });
    expect(filter.Properties.MetricTransformations).toEqual([
      { MetricNamespace: 'Kanryu', MetricName: 'ApiThrottled', MetricValue: '1', Dimensions: [{ Key: 'ApiId', Value: '$.apiId' }] },
    ]);
    expect(watching('Kanryu ApiThrottled')).toHaveLength(1);
  });

  it('page when records wait too long and when the aggregation stops', () => {
    const aggregation = ofType('AWS::Lambda::Function').find(
      ([, f]) => f.Properties.Description === jobList.find((j) => j.id === 'aggregateProgress')!.description,
    )!;
    const byFunction = { FunctionName: { Ref: aggregation[0] } };
    const [[, age]] = watching(`Kanryu ${aggregationMetrics.oldestPendingAge.name}`, byFunction) as [[string, Resource]];
    expect(age.Properties).toMatchObject({ Statistic: 'Maximum', ComparisonOperator: 'GreaterThanThreshold', Threshold: 600 });
    const [[, lag]] = watching(`Kanryu ${aggregationMetrics.passes.name}`, byFunction) as [[string, Resource]];
    // No pass reported is itself the alarm: a job that stopped emits nothing.
    expect(lag.Properties).toMatchObject({ ComparisonOperator: 'LessThanThreshold', Threshold: 1, TreatMissingData: 'breaching' });
  });

  it('page when a national round fails, and on the API 5xx rate', () => {
    const [machineId] = ofType('AWS::StepFunctions::StateMachine')[0]!;
    expect(watching('AWS/States ExecutionsFailed', { StateMachineArn: { Ref: machineId } })).toHaveLength(1);
    expect(watching('AWS/ApiGateway 5xx')).toHaveLength(1);
  });

  it('has a dashboard of the same figures', () => {
    const [[, dashboard]] = ofType('AWS::CloudWatch::Dashboard') as [[string, Resource]];
    const body = JSON.stringify(dashboard.Properties.DashboardBody);
    for (const title of [
      'API 429',
      'API latency',
      'DynamoDB consumed capacity',
      'DynamoDB throttled requests by operation',
      'Oldest pending record',
      'National rounds',
    ])
      expect(body, title).toContain(title);
  });
});

describe('the national round state machine', () => {
  /** The definition as JSON, each CloudFormation reference in it replaced by a placeholder. */
  function definition(): any {
    const [, machine] = ofType('AWS::StepFunctions::StateMachine')[0]!;
    const parts: unknown[] = machine.Properties.DefinitionString['Fn::Join'][1];
    return JSON.parse(parts.map((p) => (typeof p === 'string' ? p : 'REF')).join(''));
  }

  it('catches a failed prefecture after the retries, records it, and lets the others finish', () => {
    const map = definition().States.EachPrefecture;
    const processor = map.ItemProcessor ?? map.Iterator;
    const task = processor.States[processor.StartAt];
    expect(task.Retry.flatMap((r: { ErrorEquals: string[] }) => r.ErrorEquals)).toContain('Lambda.TooManyRequestsException');
    expect(task.Catch).toEqual([{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'RecordFailure' }]);
    expect(processor.States.RecordFailure).toMatchObject({
      Type: 'Pass',
      Parameters: { 'prefecture.$': '$.prefecture', failed: true, 'error.$': '$.error' },
      End: true,
    });
    // The Map state itself has no Catch: one prefecture's failure does not end the round.
    expect(map.Catch).toBeUndefined();
    expect(map.Next).toBe('Summary');
  });
});

describe('Cognito mail and feature plans', () => {
  const pool = (name: string) => ofType('AWS::Cognito::UserPool').find(([id]) => id.includes(name))![1];

  it('sends mail through SES from the sender the environment names, for both pools', () => {
    for (const name of ['Learners', 'Staff']) {
      const email = pool(name).Properties.EmailConfiguration;
      expect(email, name).toMatchObject({ EmailSendingAccount: 'DEVELOPER', From: 'kanryu <no-reply@kanryu.example.jp>' });
      expect(JSON.stringify(email.SourceArn), name).toMatch(/:ses:ap-northeast-1:.*identity\/kanryu\.example\.jp/);
    }
  });

  it('names each pool its feature plan: staff on Plus with threat protection enforced', () => {
    expect(pool('Learners').Properties.UserPoolTier).toBe('ESSENTIALS');
    expect(pool('Staff').Properties.UserPoolTier).toBe('PLUS');
    expect(pool('Staff').Properties.UserPoolAddOns).toEqual({ AdvancedSecurityMode: 'ENFORCED' });
  });

  it("falls back to Cognito's own sender only in a dev environment without one", () => {
    const environments = cdkContext['kanryu:environments'] as Record<string, Record<string, unknown>>;
    const { email: _none, ...devWithout } = environments.dev!;
    const settings = environmentSettings((key) => ({ ...cdkContext, 'kanryu:environments': { ...environments, dev: devWithout } })[key]);
    const bare = new Stack(new App({ context: contextWith() }), 'Bare', { env: { region: settings.region } });
    new Identity(bare, 'Identity', { email: settings.email });
    for (const [, p] of Object.entries(Template.fromStack(bare).findResources('AWS::Cognito::UserPool'))) {
      expect(p.Properties.EmailConfiguration).toEqual({ EmailSendingAccount: 'COGNITO_DEFAULT' });
    }
  });
});
