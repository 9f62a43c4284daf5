import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  CfnRoute,
  CorsHttpMethod,
  HttpApi,
  type HttpMethod,
  HttpNoneAuthorizer,
  HttpRoute,
  HttpRouteKey,
  HttpStage,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Trigger } from 'aws-cdk-lib/triggers';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { CORS } from '../../shared/http/cors';
import type { WorkflowName } from '../../shared/http/route';
import { routeList } from '../../shared/http/routes';
import { jobList, type QueueName, queueUrlVariables } from '../../shared/jobs';
import { OperationalAlarms } from '../constructs/alarms';
import { EdgeCache } from '../constructs/edge-cache';
import { Authorizers } from '../constructs/authorizers';
import { JobQueue } from '../constructs/job-queue';
import { KanryuFunction } from '../constructs/kanryu-function';
import { NationalRoundStateMachine } from '../constructs/national-round';
import { RebuildStateMachine } from '../constructs/rebuild';
import { RouteGroups } from '../constructs/route-groups';
import type { EnvironmentSettings } from '../environments';
import { type DataHandles, importData } from './data-stack';

export interface KanryuStackProps extends StackProps {
  /** The environment's settings from CDK context (infra/environments.ts); tests may leave them out. */
  settings?: Pick<EnvironmentSettings, 'apiThrottle' | 'alarmEmail'>;
  /** The data stack's name: its table, keys and user pools are read through its exports (data-stack.ts). */
  dataStackName: string;
}

/**
 * kanryu in AWS, the stateless part: an HTTP API whose routes come from the route table
 * (one Lambda each, in a nested stack per path family: route-groups.ts), the jobs of
 * shared/jobs.ts and their workflows, the edge and the alarms. The table, keys and user
 * pools are the data stack's (data-stack.ts): this stack can be replaced without them.
 */
export class KanryuStack extends Stack {
  readonly api: HttpApi;
  readonly data: DataHandles;
  readonly authorizers: Authorizers;
  readonly routeGroups: RouteGroups;

  constructor(scope: Construct, id: string, props: KanryuStackProps) {
    super(scope, id, props);
    this.data = importData(this, props.dataStackName);
    const { table, serviceKeys, credentialKey } = this.data;

    const authEnvironment = this.data.authEnvironment;
    this.authorizers = new Authorizers(this, 'Authorizers', { ...this.data, environment: authEnvironment });

    const accessLogs = new LogGroup(this, 'ApiAccessLogs', { retention: RetentionDays.ONE_YEAR });
    this.api = new HttpApi(this, 'Api', {
      description: 'kanryu HTTP API (routes from shared/http/routes.ts)',
      createDefaultStage: false,
      // Shared with the local host (shared/http/cors.ts), so both answer browsers alike.
      corsPreflight: {
        allowOrigins: [...CORS.allowOrigins],
        allowHeaders: [...CORS.allowHeaders],
        allowMethods: CORS.allowMethods.map((method) => CorsHttpMethod[method]),
        exposeHeaders: [...CORS.exposeHeaders],
        maxAge: Duration.seconds(CORS.maxAgeSeconds),
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
        .bindTable(table, job.data)
        .bindServiceKeys(serviceKeys);
      jobFunctions.set(job.id, fn);
      if (job.trigger.kind === 'after-deploy') {
        // After the table too: the data stack deploys before this one.
        new Trigger(this, `Trigger-${job.id}`, { handler: fn.function, executeOnHandlerChange: true });
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

    const allFunctions = [this.authorizers.authorizerFunction.function, ...[...jobFunctions.values()].map((f) => f.function)];
    // Routes granted exactly the same (their table access and the keyring, nothing else)
    // share a role within their family's nested stack (each template stands alone): least
    // privilege is unchanged, and a role per route would spend two resources each. A route
    // that sends to a queue or starts a workflow keeps a role of its own.
    this.routeGroups = new RouteGroups(this);
    const sharedRoles = new Map<string, Role>();
    const roleOf = (spec: (typeof routeList)[number], group: Construct) => {
      if (spec.startsWorkflow || jobQueues.some((q) => q.senders.includes(spec.id))) return undefined;
      const grants = spec.credentialKeys ? `${spec.data}-credentials-${spec.credentialKeys}` : spec.data;
      let role = sharedRoles.get(`${group.node.path} ${grants}`);
      if (!role) {
        role = new Role(group, `RouteRole-${grants}`, { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
        sharedRoles.set(`${group.node.path} ${grants}`, role);
      }
      return role;
    };
    for (const spec of routeList) {
      const group = this.routeGroups.of(spec.path);
      const role = roleOf(spec, group);
      const fn = new KanryuFunction(group, `Route-${spec.id}`, {
        ...(role ? { role } : {}),
        entry: spec.handler,
        description: `${spec.method} ${spec.path}`,
        environment: authEnvironment,
        logGroup: functionLogs,
        ...(spec.lambda?.memoryMb ? { memoryMb: spec.lambda.memoryMb } : {}),
        ...(spec.lambda?.timeoutSeconds ? { timeoutSeconds: spec.lambda.timeoutSeconds } : {}),
        ...(spec.lambda?.nodeModules ? { nodeModules: spec.lambda.nodeModules } : {}),
      })
        .bindTable(table, spec.data)
        .bindServiceKeys(serviceKeys);
      allFunctions.push(fn.function);
      letStart(fn, spec.startsWorkflow);
      // Answers name absolute URLs under it: credentials their issuer, keys and status lists, a
      // JobPosting its opening (a custom domain belongs here once there is one).
      fn.function.addEnvironment('KANRYU_PUBLIC_BASE_URL', this.api.apiEndpoint);
      if (spec.credentialKeys) {
        credentialKey.grant(fn.function, 'kms:GetPublicKey', ...(spec.credentialKeys === 'sign' ? ['kms:Sign'] : []));
        fn.function.addEnvironment('KANRYU_CREDENTIAL_KMS_KEYS', credentialKey.keyArn);
      }
      for (const { name, queue } of jobQueues.filter((q) => q.senders.includes(spec.id))) {
        queue.grantSendMessages(fn.function);
        fn.function.addEnvironment(queueUrlVariables[name], queue.queueUrl);
      }
      const served = new HttpRoute(group, `HttpRoute-${spec.id}`, {
        httpApi: this.api,
        routeKey: HttpRouteKey.with(spec.path, spec.method as HttpMethod),
        integration: new HttpLambdaIntegration(`Integration-${spec.id}`, fn.function),
        // Routes anyone may call still verify a token in the handler when one is sent.
        authorizer: spec.access.kind === 'roles' ? this.authorizers.authorizerFor(spec.access.roles) : new HttpNoneAuthorizer(),
      });
      // HTTP APIs route HEAD only where declared. The GET's function answers it (the edge drops
      // the body): a bare route on the GET's integration and authorizer, one resource, no new
      // invoke permission (the GET's covers every method of its path).
      if (spec.method === 'GET') {
        const get = served.node.defaultChild as CfnRoute;
        new CfnRoute(group, `Head-${spec.id}`, {
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
      table,
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
  }
}
