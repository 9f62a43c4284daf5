import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { KanryuStack } from '../../infra/stacks/kanryu-stack';
import { routeKey } from '../../shared/http/route';
import { routeList } from '../../shared/http/routes';
import { jobList } from '../../shared/jobs';

type Resource = { Type: string; Properties: Record<string, any>; DependsOn?: string[] };

let template: Template;
let resources: Record<string, Resource>;

beforeAll(() => {
  // Skipping bundling keeps this fast; `npm run synth` bundles every function for real.
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new KanryuStack(app, 'Test', { env: { account: '123456789012', region: 'ap-northeast-1' } });
  template = Template.fromStack(stack);
  resources = template.toJSON().Resources;
});

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
  it('has exactly the routes of the route table', () => {
    const synthesized = ofType('AWS::ApiGatewayV2::Route')
      .map(([, r]) => r.Properties.RouteKey as string)
      .sort();
    expect(synthesized).toEqual(routeList.map(routeKey).sort());
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

  it('has one function per route and per job, each with its own role and no managed policy', () => {
    const ours = ofType('AWS::Lambda::Function').filter(([, f]) => f.Properties.Environment?.Variables?.POWERTOOLS_SERVICE_NAME === 'kanryu');
    // One per route, one per job, and the authorizer for routes both pools call.
    expect(ours).toHaveLength(routeList.length + jobList.length + 1);
    const roleIds = ours.map(([, f]) => f.Properties.Role['Fn::GetAtt'][0] as string);
    expect(new Set(roleIds).size).toBe(ours.length);
    for (const roleId of roleIds) expect(resources[roleId]!.Properties.ManagedPolicyArns, roleId).toBeUndefined();
  });
});

describe('data and identity', () => {
  it('keeps the table safe: PITR, deletion protection, on-demand, the indexes of the definition', () => {
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
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

  it('runs the aggregation every minute and the national round as a Step Functions Map over prefectures', () => {
    template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(1 minute)' });
    const [, machine] = ofType('AWS::StepFunctions::StateMachine')[0]!;
    const definition = JSON.stringify(machine.Properties.DefinitionString);
    expect(definition).toContain('\\"Type\\":\\"Map\\"');
    expect(definition).toContain('$.prefectures');
    expect(machine.Properties.LoggingConfiguration.IncludeExecutionData).toBe(false);
    const starter = functionOfRoute('POST /v1/match-runs/national');
    expect(Object.keys(starter.Properties.Environment.Variables)).toContain('NATIONAL_ROUND_STATE_MACHINE_ARN');
    expect(policyActionsOf(starter)).toContain('states:StartExecution');
    expect(policyActionsOf(functionOfRoute('POST /v1/match-runs'))).not.toContain('states:StartExecution');
  });
});
