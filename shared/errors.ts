/**
 * What domain code can say went wrong, without knowing about HTTP. The HTTP edge maps each
 * kind to a status and a problem type in one place (shared/http/problem.ts).
 */
export type ErrorKind =
  | 'invalid' // the request is well-formed but breaks a rule of the domain
  | 'not-found'
  | 'forbidden'
  | 'conflict'
  | 'idempotency-key-reused'
  | 'busy'; // a dependency is throttling or unavailable: the client may retry

/** One thing wrong with a request, where it is: the one `errors` shape of every problem document. */
export interface FieldError {
  in: 'path' | 'query' | 'body' | 'header';
  /** A dotted path with [index] (skills[1].level); empty when the fault is the request as a whole. */
  field: string;
  message: string;
}

/**
 * The extension members a problem document may carry (RFC 9457 §3.2), declared in the
 * problem schema (shared/schemas/common.ts): add a member there before using it here.
 */
export interface ProblemExtensions {
  errors?: FieldError[];
  /** 401: the token claim that is missing or malformed. */
  claim?: string;
  /** 413: the largest body the route takes, in bytes. */
  maxBytes?: number;
}

/**
 * Domain checks describe each fault as "field: what is wrong" (or a sentence about the
 * whole body); the problem document carries them as FieldErrors of the body. `under`: the
 * body member the checked value was (the catalog of {catalog, makeCurrent}).
 */
export function bodyFieldErrors(faults: readonly string[], under?: string): FieldError[] {
  const path = (field: string) => (under ? (field ? `${under}.${field}` : under) : field);
  return faults.map((fault) => {
    const named = /^([\w.[\]-]+): ([\s\S]*)$/.exec(fault);
    return named ? { in: 'body', field: path(named[1]!), message: named[2]! } : { in: 'body', field: path(''), message: fault };
  });
}

export class AppError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
    /** Extra members for the problem document, e.g. per-field errors. Never personal data. */
    readonly extensions: ProblemExtensions = {},
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const invalid = (message: string, extensions?: ProblemExtensions) => new AppError('invalid', message, extensions);
export const notFound = (message: string) => new AppError('not-found', message);
export const forbidden = (message: string) => new AppError('forbidden', message);
export const conflict = (message: string, extensions?: ProblemExtensions) => new AppError('conflict', message, extensions);
/** A dependency is throttling or unavailable (503 with Retry-After): nothing is wrong with the request. */
export const serviceBusy = (message: string) => new AppError('busy', message);
