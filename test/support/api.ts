import { signDevToken, type DevKey, type TokenRequest } from '../../infra/local/dev-key';
import { createInvoker, type LocalRequest, type LocalResponse } from '../../infra/local/invoke';
import { loadHandler } from '../../infra/local/load-handler';
import { routeList } from '../../shared/http/routes';
import { contractViolation } from './contract';

/**
 * Calls the API the way the local host does (route table -> payload v2 event -> the
 * Lambda handler), without a socket. The one request sender of the tests and benchmarks
 * (the security suites' `send` in security-http.ts is a thin alias).
 */
export const invoke = createInvoker(routeList, loadHandler);

/** What the document says is wrong with an answer (./contract.ts), under vitest only: benchmarks time the API alone. */
function violationOf(method: string, url: string, response: LocalResponse): string | undefined {
  if (!process.env.VITEST) return undefined;
  const violation = contractViolation(method, url, {
    status: response.statusCode,
    headers: response.headers,
    text: response.body,
    ...(response.bytes ? { bytes: response.bytes } : {}),
  });
  return violation && `The answer breaks the OpenAPI document: ${violation}`;
}

/** Contract violations seen by `checkedInvoke`, for a test to assert none (an HTTP server turns the throw into a bare 500). */
export const servedViolations: string[] = [];

/**
 * `invoke` with the check `call` runs: for tests that hand the API to something else (the
 * local host's HTTP server for a third-party client, a generated client's fetch). A
 * violation throws, and is kept in `servedViolations` so the test can say which answer broke.
 */
export async function checkedInvoke(request: LocalRequest): Promise<LocalResponse> {
  const response = await invoke(request);
  const violation = violationOf(request.method, request.url, response);
  if (violation) {
    servedViolations.push(violation);
    throw new Error(violation);
  }
  return response;
}

export interface CallOptions {
  /** Sent as `authorization: Bearer <token>` (an empty string too: the security suites send one). */
  token?: string;
  /** A JSON value, sent as application/json unless `headers` name a content-type. */
  body?: unknown;
  /**
   * Raw body bytes or text (e.g. CSV), instead of `body`. With `contentType`, that
   * content-type is sent unless `headers` name one; without it, no content-type is added.
   */
  raw?: { contentType?: string; data: Buffer | string };
  /** Sent as given (no header is added but those above). */
  headers?: Record<string, string>;
}

export interface CallResult {
  status: number;
  headers: Record<string, string>;
  text: string;
  /** The body's bytes (an XLSX workbook, say). */
  bytes: Buffer;
  /** Parsed JSON body; `any` because each test asserts the shape it expects. */
  json: any;
}

export async function call(method: string, url: string, options: CallOptions = {}): Promise<CallResult> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  let body: Buffer | undefined;
  if (options.raw) {
    if (options.raw.contentType !== undefined) headers['content-type'] ??= options.raw.contentType;
    body = Buffer.isBuffer(options.raw.data) ? options.raw.data : Buffer.from(options.raw.data, 'utf8');
  } else if (options.body !== undefined) {
    headers['content-type'] ??= 'application/json';
    body = Buffer.from(JSON.stringify(options.body), 'utf8');
  }
  const response = await invoke({ method, url, headers, ...(body ? { body } : {}) });
  // Every answer must be what /openapi.json declares (./contract.ts).
  const violation = violationOf(method, url, response);
  if (violation) throw new Error(violation);
  let json: unknown;
  try {
    json = response.body ? JSON.parse(response.body) : undefined;
  } catch {
    json = undefined;
  }
  return { status: response.statusCode, headers: response.headers, text: response.body, bytes: response.bytes ?? Buffer.from(response.body, 'utf8'), json };
}

const signingKey = (): DevKey => JSON.parse(process.env.KANRYU_TEST_SIGNING_KEY!) as DevKey;

export const tokenFor = (request: TokenRequest) => signDevToken(signingKey(), request);
