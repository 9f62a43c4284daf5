import { Duration, Stack, Validations } from 'aws-cdk-lib';
import { type IRole, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Architecture, LoggingFormat, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { type ILogGroup, LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { fileURLToPath } from 'node:url';
import type { DataAccess } from '../../shared/http/route';

export interface KanryuFunctionProps {
  /** Path under functions/ without extension, e.g. "catalog-get" or "jobs/seed-catalog". */
  entry: string;
  description: string;
  environment: Record<string, string>;
  memoryMb?: number;
  timeoutSeconds?: number;
  /**
   * Where its logs go: a group the stack's functions share (each line names its function),
   * or, without one, a group of its own. A group per function is a resource each, and the
   * stack has 500.
   */
  logGroup?: ILogGroup;
  /**
   * The role to run with: one the stack shares between functions granted exactly the same
   * (a role and its policy are two resources each), or, without one, a role of its own.
   */
  role?: IRole;
  /** Packages installed beside the bundle instead of inside it (a route's `lambda.nodeModules`). */
  nodeModules?: readonly string[];
}

const repositoryRoot = fileURLToPath(new URL('../..', import.meta.url));

/**
 * A CloudFormation value as cdk-nag writes it in a finding's id: `<Id>` for a Ref, `<Id.Attr>`
 * for a GetAtt, the export's name for an import (the data stack's table is one, data-stack.ts).
 */
function asNagShowsIt(value: unknown): string {
  if (typeof value === 'string') return value;
  const v = value as { Ref?: string; 'Fn::GetAtt'?: [string, string]; 'Fn::ImportValue'?: unknown; 'Fn::Join'?: [string, unknown[]] };
  if (v.Ref) return `<${v.Ref}>`;
  if (v['Fn::GetAtt']) return `<${v['Fn::GetAtt'][0]}.${v['Fn::GetAtt'][1]}>`;
  if (v['Fn::ImportValue']) return asNagShowsIt(v['Fn::ImportValue']);
  if (v['Fn::Join']) return v['Fn::Join'][1].map(asNagShowsIt).join(v['Fn::Join'][0]);
  return JSON.stringify(value);
}

/**
 * Every kanryu Lambda: newest Node.js runtime on arm64, one minified ESM bundle with the
 * AWS SDK inside (faster cold start than loading it from the runtime), JSON logs kept for
 * a bounded time, X-Ray tracing. Table access is granted through bindTable only.
 */
export class KanryuFunction extends Construct {
  readonly function: NodejsFunction;

  constructor(scope: Construct, id: string, props: KanryuFunctionProps) {
    super(scope, id);
    const logGroup = props.logGroup ?? new LogGroup(this, 'Logs', { retention: RetentionDays.THREE_MONTHS });
    // An own role instead of the AWS managed basic-execution policy: logs go to this
    // function's log group only.
    const role = props.role ?? new Role(this, 'Role', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    logGroup.grantWrite(role);
    this.function = new NodejsFunction(this, 'Function', {
      entry: `${repositoryRoot}functions/${props.entry}.ts`,
      handler: 'handler',
      description: props.description,
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memoryMb ?? 512,
      timeout: Duration.seconds(props.timeoutSeconds ?? 10),
      role,
      logGroup,
      loggingFormat: LoggingFormat.JSON,
      tracing: Tracing.ACTIVE,
      // No --enable-source-maps: it makes Node read and parse the whole map at every cold
      // start. The map ships beside the bundle and is read only to log an unexpected error's
      // stack (shared/stack-trace.ts); see docs/benchmarks.md.
      environment: { POWERTOOLS_SERVICE_NAME: 'kanryu', ...props.environment },
      projectRoot: repositoryRoot,
      depsLockFilePath: `${repositoryRoot}package-lock.json`,
      bundling: {
        format: OutputFormat.ESM,
        target: 'node24',
        minify: true,
        sourceMap: true,
        // Stack traces need the mappings, not the sources: a third of the map to read on the first error.
        sourcesContent: false,
        mainFields: ['module', 'main'],
        externalModules: [],
        ...(props.nodeModules?.length ? { nodeModules: [...props.nodeModules] } : {}),
        // Some CommonJS dependencies call require(); ESM bundles need it defined.
        banner: "import { createRequire as __kanryuRequire } from 'node:module'; const require = __kanryuRequire(import.meta.url);",
      },
    });
    this.acknowledge(
      'AwsSolutions-IAM5[Resource::*]',
      'X-Ray PutTraceSegments/PutTelemetryRecords (added by active tracing) do not support resource-level permissions.',
    );
  }

  private acknowledge(finding: string, reason: string) {
    const policy = this.function.role?.node.tryFindChild('DefaultPolicy');
    if (policy) Validations.of(policy).acknowledge({ id: `AwsSolutions::${finding}`, reason });
  }

  /** The deployment's keyring (cursor, candidate-handle and proposal-id keys, shared/service-keys.ts): read only. */
  bindServiceKeys(secret: ISecret): this {
    secret.grantRead(this.function);
    this.function.addEnvironment('KANRYU_SERVICE_KEYS_ARN', secret.secretArn);
    return this;
  }

  /** Least privilege: exactly the access the route or job declares. */
  bindTable(table: ITableV2, access: DataAccess): this {
    if (access === 'none') return this;
    if (access === 'read') table.grantReadData(this.function);
    else table.grantReadWriteData(this.function);
    this.function.addEnvironment('TABLE_NAME', table.tableName);
    this.acknowledge(
      `AwsSolutions-IAM5[Resource::${asNagShowsIt(Stack.of(this).resolve(table.tableArn))}/index/*]`,
      "Queries on the table's own secondary indexes; the wildcard covers only this table's index ARNs.",
    );
    return this;
  }
}
