import { createHash } from 'node:crypto';
import middy from '@middy/core';
import httpEventNormalizer from '@middy/http-event-normalizer';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type * as z from 'zod/mini';
import type { Actor } from '../identity';
import type { CursorBinding } from './cursor-seal';
import type { oncePerIdempotencyKey } from './idempotency';
import { authorize, type LrsClientCheck } from './middleware/authorize';
import { negotiateMediaType } from './middleware/negotiate';
import { observe } from './middleware/observe';
import { parseRequest } from './middleware/parse';
import { baseHeaders, problemResponses } from './middleware/problems';
import { edgeState } from './middleware/state';
import { routeKey, type RouteSpec } from './route';

type Output<T> = [T] extends [z.ZodMiniType] ? z.output<T> : undefined;
type Field<R, K extends string> = R extends { [key in K]: infer V } ? V : undefined;
type BodyOf<R> = Field<R, 'body'> extends { json: infer B } ? Output<B> : Field<R, 'body'> extends { csv: unknown } ? Buffer : undefined;

/** What a route's function receives: parsed, validated input and the verified caller. */
export interface HttpRequest<R extends RouteSpec> {
  params: Output<Field<R, 'params'>>;
  query: Output<Field<R, 'query'>>;
  body: BodyOf<R>;
  actor: R['access'] extends { kind: 'roles' } | { kind: 'lrs-client' } ? Actor : Actor | undefined;
  /** Lower-cased header names. */
  headers: Record<string, string | undefined>;
  idempotencyKey: string | undefined;
  requestId: string;
  /**
   * The representation to answer with, negotiated from Accept against the media types the
   * route's responses declare (application/json unless the client prefers an alternative).
   */
  mediaType: string;
}

export interface Reply {
  status?: number;
  /** Serialized as JSON unless `text` is given. */
  body?: unknown;
  /** A non-JSON representation, e.g. CSV. */
  text?: { contentType: string; content: string };
  /** A binary representation (e.g. an XLSX workbook), sent base64-encoded as API Gateway expects. */
  binary?: { contentType: string; content: Uint8Array };
  headers?: Record<string, string>;
}

export type LambdaHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;

export type RouteFunction<R extends RouteSpec> = (request: HttpRequest<R>) => Promise<Reply>;

/** Sealed cursors (./cursor-seal.ts): what a page's cursor is between the service and its clients. */
export interface CursorStage {
  open(cursor: string, binding: CursorBinding): Promise<string>;
  /** The cursor sealed, and a keyed digest of it that the page's entity tag describes instead. */
  seal(cursor: string, binding: CursorBinding): Promise<{ sealed: string; tag: string }>;
}

/**
 * What the edge applies beyond its core when a route's declaration asks for it. Each
 * handler flavour passes only what its routes can ask for, so a function's bundle carries
 * the idempotency store (the table) and the service keys (Secrets Manager) only when its
 * route uses them: httpHandler (./handler.ts) for routes that use the table,
 * pagedHttpHandler (./paged-handler.ts) for routes that answer pages, and
 * tablelessHttpHandler (below) for routes declared `data: 'none'`.
 */
export interface EdgeStages {
  /** For routes declared `idempotent` (./idempotency.ts). */
  oncePerIdempotencyKey?: typeof oncePerIdempotencyKey;
  /** For routes whose query takes a `cursor` and whose answers carry one. */
  cursors?: CursorStage;
  /** For routes called by a provider's xAPI client (access `lrs-client`): ./lrs-handler.ts. */
  lrsClients?: LrsClientCheck;
}

type TakesCursor<R> = Field<R, 'query'> extends z.ZodMiniType ? ('cursor' extends keyof z.input<Field<R, 'query'>> ? true : false) : false;

/** A route whose query takes a cursor answers pages: its function uses pagedHttpHandler. */
export type NotPaged<R> = TakesCursor<R> extends true ? { 'a route that answers pages: use pagedHttpHandler (shared/http/paged-handler.ts)': never } : unknown;

/** A function that must have a stage its route's declaration asks for, but was given a flavour without it. */
function missingStage(spec: RouteSpec, stage: string): never {
  throw new Error(`${routeKey(spec)} needs ${stage}, which its function's handler does not apply (see EdgeStages in shared/http/edge.ts)`);
}

function entityTag(body: string): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
}

function matchesEtag(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(',').some((candidate) => {
    const tag = candidate.trim().replace(/^W\//, '');
    return tag === '*' || tag === etag;
  });
}

/** `tagged` is what the entity tag describes when it differs from the bytes sent (a sealed cursor's random IV). */
function toResponse(reply: Reply, event: APIGatewayProxyEventV2, tagged?: string): APIGatewayProxyStructuredResultV2 {
  const statusCode = reply.status ?? (reply.body === undefined && !reply.text && !reply.binary ? 204 : 200);
  const contentType = reply.binary?.contentType ?? reply.text?.contentType ?? 'application/json';
  const body = reply.binary
    ? Buffer.from(reply.binary.content).toString('base64')
    : reply.text
      ? reply.text.content
      : reply.body === undefined
        ? ''
        : JSON.stringify(reply.body);
  const headers: Record<string, string> = {
    ...baseHeaders,
    'cache-control': 'no-store',
    ...(body ? { 'content-type': contentType } : {}),
    ...reply.headers,
  };
  const method = event.requestContext.http.method;
  // Strong validators on every successful read let clients and caches revalidate cheaply.
  if ((method === 'GET' || method === 'HEAD') && statusCode === 200) {
    const etag = entityTag(tagged ?? body);
    headers.etag = etag;
    if (matchesEtag(event.headers?.['if-none-match'], etag)) {
      const { 'content-type': _omit, ...rest } = headers;
      return { statusCode: 304, headers: rest, body: '' };
    }
  }
  return { statusCode, headers, body, ...(reply.binary ? { isBase64Encoded: true } : {}) };
}

// A HEAD answer (a problem too) carries the headers of the GET's and no body.
const dropHeadBody = (request: { event: APIGatewayProxyEventV2; response: APIGatewayProxyStructuredResultV2 | null | undefined }) => {
  if (request.event.requestContext.http.method === 'HEAD' && request.response) request.response.body = '';
};
const headWithoutBody = { after: dropHeadBody, onError: dropHeadBody };

/**
 * Wraps a route's function into a Lambda handler. Order matters: logging sees the final
 * status; errors from every later step become problem+json; the caller is authorized
 * before any input is parsed.
 */
export function edgeHandler<R extends RouteSpec>(spec: R, run: RouteFunction<R>, stages: EdgeStages): LambdaHandler {
  const core = async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
    const state = edgeState(event);
    const request = {
      params: state.params,
      query: state.query,
      body: state.body,
      actor: state.actor,
      headers: event.headers ?? {},
      idempotencyKey: state.idempotencyKey,
      requestId: event.requestContext.requestId,
      mediaType: state.mediaType ?? 'application/json',
    } as HttpRequest<R>;
    const once = spec.idempotent ? (stages.oncePerIdempotencyKey ?? missingStage(spec, 'idempotency')) : undefined;
    const reply = once ? await once(spec, request, () => run(request)) : await run(request);
    const body = reply.body as { cursor?: unknown } | undefined;
    if (typeof body?.cursor !== 'string') return toResponse(reply, event);
    const cursors = stages.cursors ?? missingStage(spec, 'sealed cursors');
    // The entity tag must stay stable across the seal's random IV without revealing the
    // position inside: the page without its cursor, plus a keyed digest of the position.
    const { sealed, tag } = await cursors.seal(body.cursor, { spec, actor: state.actor, params: state.params, query: state.query });
    const tagged = JSON.stringify({ ...body, cursor: tag });
    body.cursor = sealed;
    return toResponse(reply, event, tagged);
  };
  return (
    middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
      .use(observe())
      .use(httpHeaderNormalizer())
      .use(httpEventNormalizer())
      // These two before problemResponses: after and onError hooks run in reverse, so theirs
      // see its problem answers too (Vary on a 406, no body on a HEAD's 401).
      .use(negotiateMediaType(spec))
      .use(headWithoutBody)
      .use(problemResponses())
      .use(authorize(spec.access, stages.lrsClients))
      .use(parseRequest(spec, stages.cursors?.open ?? (() => missingStage(spec, 'sealed cursors'))))
      .handler(core) as unknown as LambdaHandler
  );
}

/**
 * The edge for a route declared `data: 'none'` (it never touches the table): the core
 * alone, so the function's bundle carries no AWS SDK client at all.
 */
export function tablelessHttpHandler<R extends RouteSpec & { data: 'none'; idempotent?: undefined }>(
  spec: R & NotPaged<R>,
  run: RouteFunction<R>,
): LambdaHandler {
  return edgeHandler(spec, run, {});
}
