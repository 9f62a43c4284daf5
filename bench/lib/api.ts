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

export async function createApi(): Promise<Call> {
  const { createInvoker } = await import('../../infra/local/invoke');
  const { loadHandler } = await import('../../infra/local/load-handler');
  const { routeList } = await import('../../shared/http/routes');
  const invoke = createInvoker(routeList, loadHandler);
  return async (method, url, options = {}) => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let body: Buffer | undefined;
    if (options.body !== undefined) {
      headers['content-type'] ??= 'application/json';
      body = Buffer.from(JSON.stringify(options.body), 'utf8');
    }
    const response = await invoke({ method, url, headers, ...(body ? { body } : {}) });
    let json: unknown;
    try {
      json = response.body ? JSON.parse(response.body) : undefined;
    } catch {
      json = undefined;
    }
    return { status: response.statusCode, headers: response.headers, text: response.body, json };
  };
}

export function expectStatus(result: CallResult, expected: number | number[], what: string): CallResult {
  const ok = Array.isArray(expected) ? expected.includes(result.status) : result.status === expected;
  if (!ok) throw new Error(`${what}: expected ${String(expected)}, got ${result.status}: ${result.text.slice(0, 300)}`);
  return result;
}
