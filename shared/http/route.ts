import type * as z from 'zod/mini';
import type { Role } from '../identity';

/**
 * The shape of one route (shared/http/routes/<handler>.ts; routes.ts is the table of all). The table is the single
 * declaration of the HTTP API: the CDK stack, the local host, the OpenAPI document and
 * each handler's authorization all read it.
 */
export type Access =
  /** Anyone; a token, if sent, is ignored. */
  | { kind: 'public' }
  /** Anyone; a valid token (if sent) can unlock more, an invalid one is refused. */
  | { kind: 'public-or-token' }
  /** A valid token with one of these roles. Object-level checks happen in the domain. */
  | { kind: 'roles'; roles: readonly Role[] }
  /**
   * A training provider's learning system (an xAPI client): HTTP Basic with a key and
   * secret issued to the provider (shared/domain/xapi-clients.ts); the caller acts as
   * that provider. Bearer tokens are not accepted here.
   */
  | { kind: 'lrs-client' };

export type DataAccess = 'none' | 'read' | 'read-write';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface ResponseSpec {
  description: string;
  schema?: z.ZodMiniType;
  /**
   * Media types other than application/json this status can answer with; `schema` for a
   * JSON one (JSON-LD…), which the tests validate like the main representation.
   */
  alternatives?: Record<string, { description: string; schema?: z.ZodMiniType }>;
  /**
   * Headers the route's function sends with this status (the edge's own, ETag, Location, Vary…,
   * ./openapi.ts documents by itself); `required` when every such answer carries it.
   */
  headers?: Record<string, { description: string; required?: boolean }>;
  /** Why this creation (201/202) answers without Location: what it created can never be read. Documented in its place. */
  withoutLocation?: string;
}

export interface RouteSpec<P extends z.ZodMiniType = z.ZodMiniType, Q extends z.ZodMiniType = z.ZodMiniType, B extends z.ZodMiniType = z.ZodMiniType> {
  method: Method;
  /** API Gateway path syntax: /v1/catalog/{version}. */
  path: string;
  /** The Lambda entry: functions/<handler>.ts. */
  handler: string;
  access: Access;
  /** What the handler does with the table: its IAM grant in AWS is exactly this. */
  data: DataAccess;
  summary: string;
  tag: string;
  params?: P;
  query?: Q;
  /** A JSON body schema; or `csv` for a text/csv upload parsed by the handler. */
  body?: { json: B } | { csv: { description: string } };
  /**
   * Idempotency-Key is honoured (and documented): the edge stores the first answer and
   * replays it. `learnerField` names the answer's member holding the learner whose data
   * it carries, so that learner's erasure removes the stored answer too.
   */
  idempotent?: true | { learnerField: string };
  maxBodyBytes?: number;
  responses: Record<number, ResponseSpec>;
  /** The route starts this state machine in AWS (granted, and named in the workflow settings of shared/config.ts). */
  startsWorkflow?: WorkflowName;
  /**
   * The credential signing keys (shared/credentials/signing-keys.ts) the route uses: `read`
   * their public halves, `sign` with them too. In AWS: kms:GetPublicKey, plus kms:Sign.
   */
  credentialKeys?: 'read' | 'sign';
  /**
   * Lambda sizing when the default does not fit (e.g. bulk import, matching). `nodeModules`:
   * packages the function loads with import() only for a rare answer (exceljs for a
   * workbook), shipped in its own node_modules instead of its bundle, so that every other
   * answer's cold start does not parse them.
   */
  lambda?: { memoryMb?: number; timeoutSeconds?: number; nodeModules?: readonly string[] };
  /**
   * Anonymous answers shared caches may keep (shared/http/public-cache.ts): for how long, and
   * the request headers an answer differs by, sent as `Vary` and made the cache key of the
   * CloudFront that caches these routes (infra/constructs/edge-cache.ts).
   */
  publicCache?: { maxAgeSeconds: number; vary: readonly string[] };
}

/** The Step Functions workflows (infra/constructs/); the local host runs their steps in process. */
export type WorkflowName = 'nationalRound' | 'rebuild';

/** Keeps each route's literal schema types (`const`), so handlers get typed params, query and body. */
// biome-ignore lint/suspicious/noExplicitAny: each route narrows its own schema types; `any` is only the bound.
export const route = <const S extends RouteSpec<any, any, any>>(spec: S): S => spec;

export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;

export const routeKey = (spec: { method: string; path: string }) => `${spec.method} ${spec.path}`;

/** The methods a route answers: a GET route answers HEAD too, with the GET's headers and no body (the edge drops it). */
export const servedMethods = (spec: Pick<RouteSpec, 'method'>): string[] => (spec.method === 'GET' ? ['GET', 'HEAD'] : [spec.method]);
