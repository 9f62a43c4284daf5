import { call, type CallResult } from '../../test/support/api';

/**
 * Calls the API as the local host does (route table → payload v2 event → the Lambda
 * handler), in process, without a socket: the API tests' own caller (test/support/api.ts),
 * the same invoker and request shape. The product reads its configuration on first use, so
 * this may be imported before bench/lib/environment.ts has prepared it.
 */
export type { CallResult };
export type Call = typeof call;

export async function createApi(): Promise<Call> {
  return call;
}

export function expectStatus(result: CallResult, expected: number | number[], what: string): CallResult {
  const ok = Array.isArray(expected) ? expected.includes(result.status) : result.status === expected;
  if (!ok) throw new Error(`${what}: expected ${String(expected)}, got ${result.status}: ${result.text.slice(0, 300)}`);
  return result;
}
