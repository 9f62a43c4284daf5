import { CfnOutput, Duration, RemovalPolicy, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { CfnRoute, CorsHttpMethod, HttpApi, type HttpMethod, HttpNoneAuthorizer, HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { AttributeType, Billing, ProjectionType, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key, KeySpec, KeyUsage } from 'aws-cdk-lib/aws-kms';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Trigger } from 'aws-cdk-lib/triggers';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { mainTable } from '../../shared/data/table';
import type { WorkflowName } from '../../shared/http/route';
import { routeList } from '../../shared/http/routes';
import { jobList, type QueueName, queueUrlVariables } from '../../shared/jobs';
import { OperationalAlarms } from '../constructs/alarms';
import { EdgeCache } from '../constructs/edge-cache';
import { Identity } from '../constructs/identity';
import { JobQueue } from '../constructs/job-queue';
import { KanryuFunction } from '../constructs/kanryu-function';
import { NationalRoundStateMachine } from '../constructs/national-round';
import { RebuildStateMachine } from '../constructs/rebuild';
import type { EnvironmentSettings } from '../environments';

export interface KanryuStackProps extends StackProps {
  /** The environment's settings from CDK context (infra/environments.ts); tests may leave them out. */
  settings?: Pick<EnvironmentSettings, 'apiThrottle' | 'alarmEmail' | 'email'>;
}

/**
 * kanryu in AWS: one DynamoDB table, a Cognito user pool for identity, an HTTP API whose
 * routes come from the route table (one Lambda each), and the jobs of shared/jobs.ts.
 */
export class KanryuStack extends Stack {
  readonly table: TableV2;
  readonly api: HttpApi;
  readonly identity: Identity;

  constructor(scope: Construct, id: string, props?: KanryuStackProps) {
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

    // Seals cursors and keys candidate handles. Rotate by adding a key and making it
    // current (shared/service-keys.ts): values under older keys stay readable.
    const serviceKeys = new Secret(this, 'ServiceKeys', {
      description: 'kanryu keyring: { current, <keyId>: <material> }',
      generateSecretString: { secretStringTemplate: JSON.stringify({ current: 'k1' }), generateStringKey: 'k1', passwordLength: 64, excludePunctuation: true },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(serviceKeys).acknowledge({
      id: 'AwsSolutions::AwsSolutions-SMG4',
      reason:
        'A keyring rotated by adding a key and switching "current" (old keys stay readable until removed); a rotation Lambda replacing the value would break open cursors and proposals.',
    });

    // Signs Open Badges credentials (ES256); the private key never leaves KMS
    // (shared/credentials/signing-keys.ts). Asymmetric keys have no automatic rotation:
    // rotate by adding a key and listing it first in KANRYU_CREDENTIAL_KMS_KEYS; the old
    // key stays listed (its public key published) while credentials it signed are valid.
    const credentialKey = new Key(this, 'CredentialSigningKey', {
      description: 'kanryu: signs Open Badges 3.0 credentials and status lists (ES256)',
      keySpec: KeySpec.ECC_NIST_P256,
      keyUsage: KeyUsage.SIGN_VERIFY,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(credentialKey).acknowledge({
      id: 'AwsSolutions::AwsSolutions-KMS5',
      reason:
        'KMS rotates only symmetric keys; this signing key is rotated by adding a new key first in the list the functions read (old keys stay published so issued credentials keep verifying).',
    });

    this.identity = new Identity(this, 'Identity', { email: props?.settings?.email });
    const authEnvironment = this.identity.environment;

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
      throttle: props?.settings?.apiThrottle ?? { rateLimit: 200, burstLimit: 400 },
      // Access logs hold request ids, route keys, statuses and timings: no paths (they can
      // hold ids of people), no query strings, no caller identity.
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            apiId: '$context.apiId',
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

    // One log group for the routes and jobs: each line names its function (shared/log.ts).
    const functionLogs = new LogGroup(this, 'FunctionLogs', { retention: RetentionDays.THREE_MONTHS });
    const jobFunctions = new Map<string, KanryuFunction>();
    const jobQueues: { name: QueueName; queue: JobQueue['queue']; senders: readonly string[] }[] = [];
    for (const job of jobList) {
      const fn = new KanryuFunction(this, `Job-${job.id}`, {
        entry: `jobs/${job.handler}`,
        description: job.description,
        environment: authEnvironment,
        logGroup: functionLogs,
        ...(job.lambda?.memoryMb ? { memoryMb: job.lambda.memoryMb } : {}),
        timeoutSeconds: job.lambda?.timeoutSeconds ?? 60,
      })
        .bindTable(this.table, job.data)
        .bindServiceKeys(serviceKeys);
      jobFunctions.set(job.id, fn);
      if (job.trigger.kind === 'after-deploy') {
        new Trigger(this, `Trigger-${job.id}`, { handler: fn.function, executeAfter: [this.table], executeOnHandlerChange: true });
      } else if (job.trigger.kind === 'schedule') {
        new Rule(this, `Schedule-${job.id}`, {
          description: job.description,
          schedule: Schedule.rate(Duration.seconds(job.trigger.everySeconds)),
          targets: [new LambdaFunction(fn.function, { retryAttempts: 0 })],
        });
      } else if (job.trigger.kind === 'queue') {
        const { queue } = new JobQueue(this, `Queue-${job.id}`, {
          worker: fn.function,
          trigger: job.trigger,
          workerTimeoutSeconds: job.lambda?.timeoutSeconds ?? 60,
        });
        jobQueues.push({ name: job.trigger.queue, queue, senders: job.trigger.senders });
      }
    }

    const nationalRound = new NationalRoundStateMachine(this, 'NationalRound', {
      plan: jobFunctions.get('nationalRoundPlan')!.function,
      prefecture: jobFunctions.get('nationalRoundPrefecture')!.function,
      summary: jobFunctions.get('nationalRoundSummary')!.function,
    }).stateMachine;
    const rebuild = new RebuildStateMachine(this, 'Rebuild', {
      segment: jobFunctions.get('rebuildSegment')!.function,
      finish: jobFunctions.get('rebuildFinish')!.function,
    }).stateMachine;
    // Who starts a workflow is declared on the route or job: granted here, and told the ARN.
    const workflows: Record<WorkflowName, { machine: StateMachine; variable: string }> = {
      nationalRound: { machine: nationalRound, variable: 'NATIONAL_ROUND_STATE_MACHINE_ARN' },
      rebuild: { machine: rebuild, variable: 'REBUILD_STATE_MACHINE_ARN' },
    };
    const letStart = (fn: KanryuFunction, workflow: WorkflowName | undefined) => {
      if (!workflow) return;
      workflows[workflow].machine.grantStartExecution(fn.function);
      fn.function.addEnvironment(workflows[workflow].variable, workflows[workflow].machine.stateMachineArn);
    };
    for (const job of jobList) letStart(jobFunctions.get(job.id)!, job.startsWorkflow);

    const allFunctions = [this.identity.authorizerFunction.function, ...[...jobFunctions.values()].map((f) => f.function)];
    // Routes granted exactly the same (their table access and the keyring, nothing else)
    // share a role: least privilege is unchanged, and a role per route would spend two of
    // the stack's 500 resources each. A route that sends to a queue or starts a workflow
    // keeps a role of its own.
    const sharedRoles = new Map<string, Role>();
    const roleOf = (spec: (typeof routeList)[number]) => {
      if (spec.startsWorkflow || jobQueues.some((q) => q.senders.includes(spec.id))) return undefined;
      const grants = spec.credentialKeys ? `${spec.data}-credentials-${spec.credentialKeys}` : spec.data;
      let role = sharedRoles.get(grants);
      if (!role) {
        role = new Role(this, `RouteRole-${grants}`, { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
        sharedRoles.set(grants, role);
      }
      return role;
    };
    for (const spec of routeList) {
      const role = roleOf(spec);
      const fn = new KanryuFunction(this, `Route-${spec.id}`, {
        ...(role ? { role } : {}),
        entry: spec.handler,
        description: `${spec.method} ${spec.path}`,
        environment: authEnvironment,
        logGroup: functionLogs,
        ...(spec.lambda?.memoryMb ? { memoryMb: spec.lambda.memoryMb } : {}),
        ...(spec.lambda?.timeoutSeconds ? { timeoutSeconds: spec.lambda.timeoutSeconds } : {}),
      })
        .bindTable(this.table, spec.data)
        .bindServiceKeys(serviceKeys);
      allFunctions.push(fn.function);
      letStart(fn, spec.startsWorkflow);
      if (spec.credentialKeys) {
        credentialKey.grant(fn.function, 'kms:GetPublicKey', ...(spec.credentialKeys === 'sign' ? ['kms:Sign'] : []));
        fn.function.addEnvironment('KANRYU_CREDENTIAL_KMS_KEYS', credentialKey.keyArn);
        // Credentials name their issuer, keys and status lists under it (a custom domain belongs here once there is one).
        fn.function.addEnvironment('KANRYU_PUBLIC_BASE_URL', this.api.apiEndpoint);
      }
      for (const { name, queue } of jobQueues.filter((q) => q.senders.includes(spec.id))) {
        queue.grantSendMessages(fn.function);
        fn.function.addEnvironment(queueUrlVariables[name], queue.queueUrl);
      }
      const [served] = this.api.addRoutes({
        path: spec.path,
        methods: [spec.method as HttpMethod],
        integration: new HttpLambdaIntegration(`Integration-${spec.id}`, fn.function),
        // Routes anyone may call still verify a token in the handler when one is sent.
        authorizer: spec.access.kind === 'roles' ? this.identity.authorizerFor(spec.access.roles) : new HttpNoneAuthorizer(),
      });
      // HTTP APIs route HEAD only where declared. The GET's function answers it (the edge drops
      // the body): a bare route on the GET's integration and authorizer, one resource, no new
      // invoke permission (the GET's covers every method of its path).
      if (spec.method === 'GET') {
        const get = served!.node.defaultChild as CfnRoute;
        new CfnRoute(this.api, `Head-${spec.id}`, {
          apiId: this.api.apiId,
          routeKey: `HEAD ${spec.path}`,
          target: get.target,
          authorizationType: get.authorizationType,
          authorizerId: get.authorizerId,
          authorizationScopes: get.authorizationScopes,
        });
      }
    }

    // Public progress reads are answered at the edge, so a crowd reading them does not take
    // the stage throttle from writes (infra/constructs/edge-cache.ts).
    const edge = new EdgeCache(this, 'Edge', { api: this.api, routes: routeList });

    const alarms = new OperationalAlarms(this, 'Alarms', {
      api: this.api,
      apiAccessLogs: accessLogs,
      table: this.table,
      functions: allFunctions,
      aggregation: jobFunctions.get('aggregateProgress')!.function,
      nationalRound,
      alarmEmail: props?.settings?.alarmEmail,
    });

    new CfnOutput(this, 'ApiUrl', { value: this.api.apiEndpoint });
    new CfnOutput(this, 'EdgeDomainName', { value: edge.distribution.distributionDomainName });
    new CfnOutput(this, 'EdgeDistributionId', { value: edge.distribution.distributionId });
    new CfnOutput(this, 'PageBucketName', { value: edge.pageBucket.bucketName });
    new CfnOutput(this, 'AlarmTopicArn', { value: alarms.topic.topicArn });
    new CfnOutput(this, 'LearnerPoolId', { value: this.identity.learnerPool.userPoolId });
    new CfnOutput(this, 'LearnerPoolClientId', { value: this.identity.learnerClient.userPoolClientId });
    new CfnOutput(this, 'StaffPoolId', { value: this.identity.staffPool.userPoolId });
    new CfnOutput(this, 'StaffPoolClientId', { value: this.identity.staffClient.userPoolClientId });
    new CfnOutput(this, 'TableName', { value: this.table.tableName });
  }
}
