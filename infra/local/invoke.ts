import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { corsAnswerHeaders, preflightHeaders } from '../../shared/http/cors';
import { problemResponse } from '../../shared/http/problem';
import { routeKey, type RouteSpec, servedMethods } from '../../shared/http/route';
import type { LambdaHandler } from '../../shared/http/handler';
import { serveNationalRoundInProcess } from '../../shared/workflows/in-process';
import { runNationalRoundInProcess } from '../../shared/workflows/national-round';
import { startLocalQueues } from './queues';
import { lambdaContext } from './lambda-context';

/**
 * What API Gateway does in front of the Lambdas, done locally: match the request to a
 * route of the table, build the HTTP API payload v2 event, invoke the very handler Lambda
 * runs. Used by the local HTTP server and, without a socket, by the API tests.
 */
export interface LocalRequest {
  method: string;
  /** Path and query string as received, e.g. /v1/catalog?x=1 */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body?: Buffer;
  sourceIp?: string;
}

/** `bytes`: the body as sent when the handler answered base64-encoded bytes (an XLSX), which `body` gives as UTF-8 text. */
export type LocalResponse = { statusCode: number; headers: Record<string, string>; body: string; bytes?: Buffer };

type Matcher = { spec: RouteSpec; pattern: RegExp; names: string[]; literalSegments: number };

function compile(spec: RouteSpec): Matcher {
  const names: string[] = [];
  let literalSegments = 0;
  const source = spec.path
    .split('/')
    .map((segment) => {
      const param = /^\{(\w+)\}$/.exec(segment);
      if (param) {
        names.push(param[1]!);
        return '([^/]+)';
      }
      if (segment) literalSegments++;
      return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return { spec, pattern: new RegExp(`^${source}$`), names, literalSegments };
}

function singleValued(headers: LocalRequest['headers']): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || name.toLowerCase() === 'cookie') continue;
    result[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  }
  return result;
}

function isTextual(contentType: string | undefined): boolean {
  return !!contentType && /^(application\/(json|[\w.+-]+\+json)|text\/(?!csv))/i.test(contentType);
}

const hasDotSegment = (path: string) => path.split('/').some((segment) => /^(?:\.|%2e){1,2}$/i.test(segment));

export function createInvoker(routes: readonly RouteSpec[], loadHandler: (spec: RouteSpec) => Promise<LambdaHandler>) {
  // What routes send to (the import queue) and start (the national round) runs in process
  // beside them, for the local host and the tests alike.
  startLocalQueues();
  serveNationalRoundInProcess(runNationalRoundInProcess);
  // API Gateway prefers the route with more literal segments: /v1/completions/import over /v1/completions/{id}.
  const matchers = routes.map(compile).sort((a, b) => b.literalSegments - a.literalSegments);

  async function route(request: LocalRequest): Promise<LocalResponse> {
    const parsed = new URL(request.url, 'http://localhost');
    // URL parsing resolves "." and ".." segments (encoded ones too), which would send
    // /v1/match-cycles/../openings to another route; they are routed as written instead,
    // so a dot segment is only ever a parameter value the route then refuses.
    const rawPath = request.url.replace(/^[a-z]+:\/\/[^/]*/i, '').split(/[?#]/)[0]!;
    const url = { pathname: hasDotSegment(rawPath) ? rawPath : parsed.pathname, search: parsed.search, searchParams: parsed.searchParams };
    const method = request.method.toUpperCase();
    const onPath = matchers.filter((m) => m.pattern.test(url.pathname));
    // Every GET route is served for HEAD too (the stack declares both; see servedMethods).
    const match = onPath.find((m) => servedMethods(m.spec).includes(method));
    if (!match) {
      const problem = onPath.length
        ? problemResponse(
            'method-not-allowed',
            `${method} is not served on ${url.pathname}.`,
            url.pathname,
            {},
            { allow: onPath.flatMap((m) => servedMethods(m.spec)).join(', ') },
          )
        : problemResponse('not-found', `No route for ${url.pathname}; GET /openapi.json lists them.`, url.pathname);
      return problem;
    }
    const values = match.pattern.exec(url.pathname)!.slice(1);
    const pathParameters: Record<string, string> = {};
    try {
      match.names.forEach((name, i) => {
        pathParameters[name] = decodeURIComponent(values[i]!);
      });
    } catch {
      return problemResponse('validation-failed', 'The path contains malformed percent-encoding.', url.pathname);
    }
    const queryStringParameters: Record<string, string> = {};
    for (const [name, value] of url.searchParams) {
      queryStringParameters[name] = name in queryStringParameters ? `${queryStringParameters[name]},${value}` : value;
    }
    const headers = singleValued(request.headers);
    const requestId = randomUUID();
    const now = new Date();
    const body = request.body && request.body.length > 0 ? request.body : undefined;
    // Like API Gateway: text bodies arrive as strings, anything else base64-encoded.
    const textual = body !== undefined && isTextual(headers['content-type']);
    const key = routeKey({ method, path: match.spec.path });
    const event: APIGatewayProxyEventV2 = {
      version: '2.0',
      routeKey: key,
      rawPath: url.pathname,
      rawQueryString: url.search.slice(1),
      cookies: typeof request.headers.cookie === 'string' ? request.headers.cookie.split(/;\s*/) : undefined,
      headers,
      queryStringParameters: Object.keys(queryStringParameters).length ? queryStringParameters : undefined,
      pathParameters: match.names.length ? pathParameters : undefined,
      requestContext: {
        accountId: '000000000000',
        apiId: 'local',
        domainName: headers.host ?? 'localhost',
        domainPrefix: 'localhost',
        http: { method, path: url.pathname, protocol: 'HTTP/1.1', sourceIp: request.sourceIp ?? '127.0.0.1', userAgent: headers['user-agent'] ?? '' },
        requestId,
        routeKey: key,
        stage: '$default',
        time: now.toUTCString(),
        timeEpoch: now.getTime(),
      },
      body: body === undefined ? undefined : textual ? body.toString('utf8') : body.toString('base64'),
      isBase64Encoded: body !== undefined && !textual,
    };
    const handler = await loadHandler(match.spec);
    const result: APIGatewayProxyStructuredResultV2 = await handler(event, lambdaContext(match.spec.handler, requestId, { timeoutMs: 30_000, memoryMb: 512 }));
    const responseHeaders: Record<string, string> = {};
    for (const [name, value] of Object.entries(result.headers ?? {})) responseHeaders[name] = String(value);
    const bytes = result.isBase64Encoded && result.body ? Buffer.from(result.body, 'base64') : undefined;
    return {
      statusCode: result.statusCode ?? 200,
      headers: responseHeaders,
      body: bytes ? bytes.toString('utf8') : (result.body ?? ''),
      ...(bytes ? { bytes } : {}),
    };
  }

  /** As API Gateway with the stack's corsPreflight: it answers preflights itself, and adds CORS headers to answers to a request with Origin. */
  return async function invoke(request: LocalRequest): Promise<LocalResponse> {
    const headers = singleValued(request.headers);
    if (request.method.toUpperCase() === 'OPTIONS' && headers.origin && headers['access-control-request-method']) {
      return { statusCode: 204, headers: preflightHeaders(), body: '' };
    }
    const answer = await route(request);
    return headers.origin ? { ...answer, headers: { ...answer.headers, ...corsAnswerHeaders() } } : answer;
  };
}
