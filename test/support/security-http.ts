import { expect } from 'vitest';
import { call, type CallResult } from './api';

/**
 * A request exactly as the security suites mean it: raw URL (percent-encoding untouched),
 * raw body bytes, and full control over headers (none added unless asked for).
 */
export interface RawRequest {
  method: string;
  url: string;
  token?: string;
  headers?: Record<string, string>;
  /** A JSON value, sent as application/json unless a content-type header is given. */
  json?: unknown;
  /** Raw body bytes or text; the content-type header (if any) comes from `headers`. */
  body?: Buffer | string;
}

/** Sends a RawRequest through the tests' one request sender (api.ts `call`): nothing is added but what it names. */
export function send(request: RawRequest): Promise<CallResult> {
  return call(request.method, request.url, {
    ...(request.token !== undefined ? { token: request.token } : {}),
    ...(request.headers ? { headers: request.headers } : {}),
    ...(request.json !== undefined ? { body: request.json } : request.body !== undefined ? { raw: { data: request.body } } : {}),
  });
}

/** An RFC 9457 answer of this API: problem+json with type, title, status (= HTTP status) and detail. */
export function expectProblem(res: CallResult, context: string) {
  const where = `${context}\n-> ${res.status} ${res.headers['content-type']} ${res.text.slice(0, 400)}`;
  expect(res.headers['content-type'], where).toBe('application/problem+json');
  expect(res.json, where).toBeTypeOf('object');
  expect(res.json.type, where).toMatch(/^urn:kanryu:problem:[a-z-]+$/);
  expect(res.json.title, where).toBeTypeOf('string');
  expect(res.json.title.length, where).toBeGreaterThan(0);
  expect(res.json.status, where).toBe(res.status);
  expect(res.json.detail, where).toBeTypeOf('string');
  expect(res.json.detail.length, where).toBeGreaterThan(0);
}

/** A one-line description of a request for assertion messages (bodies cut short). */
export function describeRequest(request: RawRequest): string {
  // Contact details are personal data: never in a message (the log scan would flag them).
  const redact = (key: string, value: unknown) => (key === 'contact' ? '<redacted>' : value);
  const body =
    request.json !== undefined
      ? JSON.stringify(request.json, redact)
      : request.body === undefined
        ? ''
        : Buffer.isBuffer(request.body)
          ? `<${request.body.length} bytes>`
          : request.body;
  const shown = body.length > 300 ? `${body.slice(0, 300)}… (${body.length} chars)` : body;
  const url = request.url.length > 300 ? `${request.url.slice(0, 300)}… (${request.url.length} chars)` : request.url;
  const headers = Object.entries(request.headers ?? {})
    .map(([k, v]) => (k === 'authorization' ? `${k}: <${v.length} chars>` : `${k}: ${v.length > 80 ? `${v.slice(0, 80)}…` : v}`))
    .join('; ');
  return `${request.method} ${url}${headers ? ` [${headers}]` : ''}${shown ? ` ${shown}` : ''}`;
}
