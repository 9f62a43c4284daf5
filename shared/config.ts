import * as z from 'zod/mini';
import './zod-messages';

/**
 * Configuration, read from the environment once, on first use (the first request that
 * touches the table, verifies a token, needs a service key or starts a workflow), never
 * at import: tools and tests may import product modules before they set the environment.
 * A missing or malformed setting fails with a message naming the variable. Data,
 * identity, keys and workflow settings are separate so that each part needs only its own,
 * and each part's schema is built by its first read, so a function builds only the parts
 * it reads (zod schemas built at import are part of every cold start).
 */
const dataEnvironment = () =>
  z.object({
    TABLE_NAME: z.string().check(z.minLength(3), z.maxLength(255)),
    DYNAMODB_ENDPOINT: z.optional(z.url()),
    AWS_REGION: z._default(z.string(), 'ap-northeast-1'),
  });

const authEnvironment = () =>
  z.object({
    /** The learners' user pool (self sign-up): every token it issues is a learner's. */
    AUTH_LEARNER_ISSUER: z.url(),
    AUTH_LEARNER_AUDIENCE: z.string().check(z.minLength(1)),
    /** The staff user pool (accounts created by administrators, MFA required). */
    AUTH_STAFF_ISSUER: z.url(),
    AUTH_STAFF_AUDIENCE: z.string().check(z.minLength(1)),
    /**
     * The signing keys inline (the local host's development key); without it they are
     * fetched from each issuer's /.well-known/jwks.json, as Cognito publishes them.
     */
    AUTH_JWKS: z.optional(z.string()),
  });

const serviceKeysEnvironment = () =>
  z.object({
    /** The keyring inline (local host and tests). */
    KANRYU_SERVICE_KEYS: z.optional(z.string().check(z.minLength(1))),
    /** The Secrets Manager secret holding the keyring (AWS). */
    KANRYU_SERVICE_KEYS_ARN: z.optional(z.string().check(z.regex(/^arn:aws[a-z-]*:secretsmanager:/, 'a Secrets Manager ARN'))),
  });

const workflowEnvironment = () =>
  z.object({
    /** The national round's state machine (AWS, set by the stack); absent locally, where the steps run in process. */
    NATIONAL_ROUND_STATE_MACHINE_ARN: z.optional(z.string().check(z.regex(/^arn:aws[a-z-]*:states:/, 'a Step Functions state machine ARN'))),
    /** The rebuild's state machine (AWS); absent locally, where the scheduler runs the segments in process. */
    REBUILD_STATE_MACHINE_ARN: z.optional(z.string().check(z.regex(/^arn:aws[a-z-]*:states:/, 'a Step Functions state machine ARN'))),
  });

const sqsQueueUrl = () => z.optional(z.string().check(z.regex(/^https:\/\/sqs\.[a-z0-9-]+\.amazonaws\.com(\.cn)?\/\d{12}\/[\w-]{1,80}$/, 'an SQS queue URL')));

const importEnvironment = () =>
  z.object({
    /** The bulk-import queue (AWS, set by the stack); absent locally, where an in-process queue takes the chunks. */
    IMPORT_QUEUE_URL: sqsQueueUrl(),
    /** A CSV with more data rows than this is queued (202) instead of stored within the request. */
    IMPORT_QUEUE_ABOVE_ROWS: z._default(z.pipe(z.string().check(z.regex(/^\d{1,5}$/, 'a whole number of rows')), z.transform(Number)), 500),
    /** Set by Lambda itself: there a missing queue is a deployment error, never a reason to run in process. */
    AWS_LAMBDA_FUNCTION_NAME: z.optional(z.string()),
  });

const matchRunEnvironment = () =>
  z.object({
    /** The queue of requested matching rounds (AWS, set by the stack); absent locally, where an in-process queue takes them. */
    MATCH_RUN_QUEUE_URL: sqsQueueUrl(),
    AWS_LAMBDA_FUNCTION_NAME: z.optional(z.string()),
  });

function parse<T extends z.ZodMiniType>(schema: T, env: Record<string, string | undefined>): z.output<T> {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`invalid configuration: ${problems.join('; ')}`);
  }
  return parsed.data;
}

export interface DataConfig {
  tableName: string;
  dynamoEndpoint: string | undefined;
  region: string;
}

export interface AuthConfig {
  learnerPool: { issuer: string; audience: string };
  staffPool: { issuer: string; audience: string };
  jwks: unknown;
}

export function loadDataConfig(env: Record<string, string | undefined>): DataConfig {
  const e = parse(dataEnvironment(), env);
  return { tableName: e.TABLE_NAME, dynamoEndpoint: e.DYNAMODB_ENDPOINT, region: e.AWS_REGION };
}

export function loadAuthConfig(env: Record<string, string | undefined>): AuthConfig {
  const e = parse(authEnvironment(), env);
  if (e.AUTH_LEARNER_ISSUER === e.AUTH_STAFF_ISSUER) {
    throw new Error('invalid configuration: AUTH_LEARNER_ISSUER and AUTH_STAFF_ISSUER must differ (the issuer tells a learner from staff)');
  }
  let jwks: unknown;
  if (e.AUTH_JWKS) {
    try {
      jwks = JSON.parse(e.AUTH_JWKS);
    } catch {
      throw new Error('invalid configuration: AUTH_JWKS is not JSON');
    }
  }
  return {
    learnerPool: { issuer: e.AUTH_LEARNER_ISSUER, audience: e.AUTH_LEARNER_AUDIENCE },
    staffPool: { issuer: e.AUTH_STAFF_ISSUER, audience: e.AUTH_STAFF_AUDIENCE },
    jwks,
  };
}

export function loadServiceKeysConfig(
  env: Record<string, string | undefined>,
): { inline: string; secretArn?: undefined } | { inline?: undefined; secretArn: string } {
  const e = parse(serviceKeysEnvironment(), env);
  if (e.KANRYU_SERVICE_KEYS) return { inline: e.KANRYU_SERVICE_KEYS };
  if (e.KANRYU_SERVICE_KEYS_ARN) return { secretArn: e.KANRYU_SERVICE_KEYS_ARN };
  throw new Error('invalid configuration: set KANRYU_SERVICE_KEYS_ARN (AWS) or KANRYU_SERVICE_KEYS (local host)');
}

export interface WorkflowConfig {
  /** Where the national round runs: this state machine in AWS; undefined means in process (local host). */
  nationalRoundStateMachineArn: string | undefined;
  rebuildStateMachineArn: string | undefined;
}

export function loadWorkflowConfig(env: Record<string, string | undefined>): WorkflowConfig {
  const e = parse(workflowEnvironment(), env);
  return { nationalRoundStateMachineArn: e.NATIONAL_ROUND_STATE_MACHINE_ARN, rebuildStateMachineArn: e.REBUILD_STATE_MACHINE_ARN };
}

export interface ImportConfig {
  /** Where queued import chunks go: this SQS queue in AWS; undefined means the in-process queue (local host, tests). */
  queueUrl: string | undefined;
  /** Uploads with more data rows than this answer 202 and are stored by the import workers. */
  queueAboveRows: number;
}

export function loadImportConfig(env: Record<string, string | undefined>): ImportConfig {
  const e = parse(importEnvironment(), env);
  if (e.AWS_LAMBDA_FUNCTION_NAME && !e.IMPORT_QUEUE_URL) throw new Error('invalid configuration: IMPORT_QUEUE_URL is required in Lambda (the stack sets it)');
  return { queueUrl: e.IMPORT_QUEUE_URL, queueAboveRows: e.IMPORT_QUEUE_ABOVE_ROWS };
}

/** Where requested rounds go: this SQS queue in AWS; undefined means the in-process queue (local host, tests). */
export function loadMatchRunQueueUrl(env: Record<string, string | undefined>): string | undefined {
  const e = parse(matchRunEnvironment(), env);
  if (e.AWS_LAMBDA_FUNCTION_NAME && !e.MATCH_RUN_QUEUE_URL)
    throw new Error('invalid configuration: MATCH_RUN_QUEUE_URL is required in Lambda (the stack sets it)');
  return e.MATCH_RUN_QUEUE_URL;
}
