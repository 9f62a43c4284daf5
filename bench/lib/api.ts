/**
 * Calls the API as the local host does (route table → payload v2 event → the Lambda
 * handler), in process, without a socket: infra/local/invoke.ts `createInvoker`.
 * Import only after the environment is prepared (handlers read it at import).
 */
export interface CallResult {
  status: number;
  headers: Record<string, string>;
  text: string;
  json: any;
}

export type Call = (method: string, url: string, options?: { token?: string; body?: unknown; headers?: Record<string, string> }) => Promise<CallResult>;

/** The API tests' own caller (test/support/api.ts): the same invoker, the same request shape. */
export async function createApi(): Promise<Call> {
  return (await import('../../test/support/api')).call;
}

export function expectStatus(result: CallResult, expected: number | number[], what: string): CallResult {
  const ok = Array.isArray(expected) ? expected.includes(result.status) : result.status === expected;
  if (!ok) throw new Error(`${what}: expected ${String(expected)}, got ${result.status}: ${result.text.slice(0, 300)}`);
  return result;
}
