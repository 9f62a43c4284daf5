import { AppError, type ErrorKind, type ProblemExtensions } from '../errors';

/**
 * RFC 9457 problem details. Every error answer of the API is built here, so each kind of
 * error has one stable `type` URI, one status and one title.
 */
export const problemTypes = {
  'validation-failed': { status: 400, title: 'The request does not match the schema' },
  'malformed-body': { status: 400, title: 'The request body cannot be parsed' },
  unauthenticated: { status: 401, title: 'A valid bearer token is required' },
  forbidden: { status: 403, title: 'Not allowed for this caller' },
  'not-found': { status: 404, title: 'No such resource' },
  'method-not-allowed': { status: 405, title: 'Method not allowed on this path' },
  'not-acceptable': { status: 406, title: 'No representation matches the Accept header' },
  conflict: { status: 409, title: 'Conflicts with the current state' },
  'payload-too-large': { status: 413, title: 'The request body is too large' },
  'unsupported-media-type': { status: 415, title: 'Unsupported Content-Type' },
  unprocessable: { status: 422, title: 'The request breaks a rule of the domain' },
  'idempotency-key-reused': { status: 422, title: 'Idempotency-Key reused with a different request' },
  'service-busy': { status: 503, title: 'Temporarily unable to serve; retry later' },
  internal: { status: 500, title: 'Internal error' },
} as const;

export type ProblemType = keyof typeof problemTypes;

export const problemTypeUri = (type: ProblemType) => `urn:kanryu:problem:${type}`;

/** An error that already knows its HTTP answer; thrown by the HTTP edge itself. */
export class HttpProblem extends Error {
  constructor(
    readonly type: ProblemType,
    readonly detail: string,
    readonly extensions: ProblemExtensions = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
    this.name = 'HttpProblem';
  }
}

const kindToType: Record<ErrorKind, ProblemType> = {
  invalid: 'unprocessable',
  'not-found': 'not-found',
  forbidden: 'forbidden',
  conflict: 'conflict',
  'idempotency-key-reused': 'idempotency-key-reused',
  busy: 'service-busy',
};

/** AWS SDK errors that mean "try again", not "you did something wrong". */
const retryableAwsErrors = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'InternalServerError',
  'ServiceUnavailable',
  'TransactionConflictException',
  'TimeoutError',
]);

export function isRetryableDependencyError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const meta = (error as { $metadata?: { httpStatusCode?: number }; $retryable?: unknown }).$metadata;
  const status = meta?.httpStatusCode;
  return (
    retryableAwsErrors.has(error.name) ||
    (typeof status === 'number' && status >= 500) ||
    /ECONNRESET|ECONNREFUSED|EPIPE|ETIMEDOUT|socket hang up/i.test(error.message)
  );
}

export interface ProblemResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

export function problemResponse(
  type: ProblemType,
  detail: string,
  instance: string | undefined,
  extensions: ProblemExtensions = {},
  headers: Record<string, string> = {},
): ProblemResponse {
  const { status, title } = problemTypes[type];
  return {
    statusCode: status,
    headers: { 'content-type': 'application/problem+json', ...headers },
    body: JSON.stringify({ type: problemTypeUri(type), title, status, detail, instance, ...extensions }),
  };
}

/** Maps anything thrown while serving a request to its problem answer. */
export function toProblem(error: unknown, instance: string | undefined): ProblemResponse {
  if (error instanceof HttpProblem) {
    return problemResponse(error.type, error.detail, instance, error.extensions, error.headers);
  }
  if (error instanceof AppError) {
    const type = kindToType[error.kind];
    const headers: Record<string, string> = type === 'service-busy' ? { 'retry-after': '1' } : {};
    return problemResponse(type, error.message, instance, error.extensions, headers);
  }
  if (isRetryableDependencyError(error)) {
    return problemResponse('service-busy', 'The database is busy; retry the same request.', instance, {}, { 'retry-after': '1' });
  }
  return problemResponse('internal', 'Something failed on our side; it has been logged.', instance);
}
