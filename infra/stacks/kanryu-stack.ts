import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { CorsHttpMethod, HttpApi, HttpMethod, HttpNoneAuthorizer, HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { AccountRecovery, Mfa, StringAttribute, UserPoolOperation, UserPool, UserPoolClient } from 'aws-cdk-lib/aws-cognito';
import { AttributeType, Billing, ProjectionType, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Trigger } from 'aws-cdk-lib/triggers';
import type { Construct } from 'constructs';
import { mainTable } from '../../shared/data/table';
import { routeList } from '../../shared/http/routes';
import { jobList } from '../../shared/jobs';
import { OperationalAlarms } from '../constructs/alarms';
import { KanryuFunction } from '../constructs/kanryu-function';
import { NationalRoundStateMachine } from '../constructs/national-round';

/**
 * kanryu in AWS: one DynamoDB table, a Cognito user pool for identity, an HTTP API whose
 * routes come from the route table (one Lambda each), and the jobs of shared/jobs.ts.
 */
export class KanryuStack extends Stack {
  readonly table: TableV2;
  readonly api: HttpApi;
  readonly userPool: UserPool;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    this.table = new TableV2(this, 'Table', {
      partitionKey: { name: mainTable.partitionKey, type: AttributeType.STRING },
      sortKey: { name: mainTable.sortKey, type: AttributeType.STRING },
      globalSecondaryIndexes: mainTable.indexes.map((index) => ({
        indexName: index.name,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        sortKey: { name: index.sortKey, type: AttributeType.STRING },
        projectionType: ProjectionType[index.projection],
      })),
      billing: Billing.onDemand(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      timeToLiveAttribute: mainTable.timeToLiveAttribute,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.userPool = new UserPool(this, 'Users', {
      selfSignUpEnabled: true,
      signInAliases: { email: true },
      autoVerify: { email: true },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      mfa: Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: { minLength: 12, requireDigits: true, requireLowercase: true, requireUppercase: true, requireSymbols: true, tempPasswordValidity: Duration.days(3) },
      customAttributes: {
        role: new StringAttribute({ mutable: true, minLen: 1, maxLen: 20 }),
        prefecture: new StringAttribute({ mutable: true, minLen: 2, maxLen: 2 }),
        org: new StringAttribute({ mutable: true, minLen: 1, maxLen: 64 }),
      },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const preToken = new KanryuFunction(this, 'Cognito-pre-token', {
      entry: 'cognito/pre-token',
      description: 'Gives self-registered accounts the learner role in their ID token',
      environment: {},
    });
    this.userPool.addTrigger(UserPoolOperation.PRE_TOKEN_GENERATION, preToken.function);
    const client = new UserPoolClient(this, 'ApiClient', {
      userPool: this.userPool,
      authFlows: { userSrp: true },
      preventUserExistenceErrors: true,
      // Role, prefecture and organisation are set by administrators, never by the user.
      writeAttributes: undefined,
      idTokenValidity: Duration.hours(1),
    });

    const issuer = `https://cognito-idp.${this.region}.amazonaws.com/${this.userPool.userPoolId}`;
    const authEnvironment = {
      AUTH_ISSUER: issuer,
      AUTH_AUDIENCE: client.userPoolClientId,
      AUTH_JWKS_URI: `${issuer}/.well-known/jwks.json`,
    };

    const accessLogs = new LogGroup(this, 'ApiAccessLogs', { retention: RetentionDays.ONE_YEAR });
    this.api = new HttpApi(this, 'Api', {
      description: 'kanryu HTTP API (routes from shared/http/routes.ts)',
      createDefaultStage: false,
      corsPreflight: {
        allowOrigins: ['*'],
        allowHeaders: ['authorization', 'content-type', 'idempotency-key', 'if-none-match'],
        allowMethods: [CorsHttpMethod.GET, CorsHttpMethod.POST, CorsHttpMethod.PUT, CorsHttpMethod.PATCH, CorsHttpMethod.DELETE],
        maxAge: Duration.hours(1),
      },
    });
    new HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      detailedMetricsEnabled: true,
      throttle: { rateLimit: 200, burstLimit: 400 },
      // Access logs hold request ids, route keys, statuses and timings: no paths (they can
      // hold ids of people), no query strings, no caller identity.
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            routeKey: '$context.routeKey',
            status: '$context.status',
            latency: '$context.responseLatency',
            integrationError: '$context.integrationErrorMessage',
            authorizerError: '$context.authorizer.error',
            time: '$context.requestTime',
          }),
        ),
      },
    });

    const jobFunctions = new Map<string, KanryuFunction>();
    for (const job of jobList) {
      const fn = new KanryuFunction(this, `Job-${job.id}`, {
        entry: `jobs/${job.handler}`,
        description: job.description,
        environment: authEnvironment,
        ...(job.lambda?.memoryMb ? { memoryMb: job.lambda.memoryMb } : {}),
        timeoutSeconds: job.lambda?.timeoutSeconds ?? 60,
      }).bindTable(this.table, job.data);
      jobFunctions.set(job.id, fn);
      if (job.trigger.kind === 'after-deploy') {
        new Trigger(this, `Trigger-${job.id}`, { handler: fn.function, executeAfter: [this.table], executeOnHandlerChange: true });
      } else if (job.trigger.kind === 'schedule') {
        new Rule(this, `Schedule-${job.id}`, {
          description: job.description,
          schedule: Schedule.rate(Duration.seconds(job.trigger.everySeconds)),
          targets: [new LambdaFunction(fn.function, { retryAttempts: 0 })],
        });
      }
    }

    const nationalRound = new NationalRoundStateMachine(this, 'NationalRound', {
      plan: jobFunctions.get('nationalRoundPlan')!.function,
      prefecture: jobFunctions.get('nationalRoundPrefecture')!.function,
      summary: jobFunctions.get('nationalRoundSummary')!.function,
    }).stateMachine;

    const allFunctions = [preToken.function, ...[...jobFunctions.values()].map((f) => f.function)];
    const authorizer = new HttpUserPoolAuthorizer('Cognito', this.userPool, { userPoolClients: [client] });
    for (const spec of routeList) {
      const fn = new KanryuFunction(this, `Route-${spec.id}`, {
        entry: spec.handler,
        description: `${spec.method} ${spec.path}`,
        environment: authEnvironment,
        ...(spec.lambda?.memoryMb ? { memoryMb: spec.lambda.memoryMb } : {}),
        ...(spec.lambda?.timeoutSeconds ? { timeoutSeconds: spec.lambda.timeoutSeconds } : {}),
      }).bindTable(this.table, spec.data);
      allFunctions.push(fn.function);
      if (spec.startsWorkflow === 'nationalRound') {
        nationalRound.grantStartExecution(fn.function);
        fn.function.addEnvironment('NATIONAL_ROUND_STATE_MACHINE_ARN', nationalRound.stateMachineArn);
      }
      this.api.addRoutes({
        path: spec.path,
        methods: [spec.method as HttpMethod],
        integration: new HttpLambdaIntegration(`Integration-${spec.id}`, fn.function),
        // Routes anyone may call still verify a token in the handler when one is sent.
        authorizer: spec.access.kind === 'roles' ? authorizer : new HttpNoneAuthorizer(),
      });
    }

    const alarms = new OperationalAlarms(this, 'Alarms', { api: this.api, table: this.table, functions: allFunctions });

    new CfnOutput(this, 'ApiUrl', { value: this.api.apiEndpoint });
    new CfnOutput(this, 'AlarmTopicArn', { value: alarms.topic.topicArn });
    new CfnOutput(this, 'UserPoolId', { value: this.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: client.userPoolClientId });
    new CfnOutput(this, 'TableName', { value: this.table.tableName });
  }
}
