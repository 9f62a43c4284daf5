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

export class AppError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
    /** Extra members for the problem document, e.g. per-field errors. Never personal data. */
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const invalid = (message: string, extensions?: Record<string, unknown>) => new AppError('invalid', message, extensions);
export const notFound = (message: string) => new AppError('not-found', message);
export const forbidden = (message: string) => new AppError('forbidden', message);
export const conflict = (message: string, extensions?: Record<string, unknown>) => new AppError('conflict', message, extensions);
/** A dependency is throttling or unavailable (503 with Retry-After): nothing is wrong with the request. */
export const serviceBusy = (message: string) => new AppError('busy', message);
