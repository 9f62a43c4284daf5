import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createDevKey, createServiceKeyring, localAuthEnvironment, signDevToken, type DevKey, type TokenRequest } from '../../infra/local/dev-key';
import { ensureTable } from '../../infra/local/environment';
import { logger } from '../../shared/log';

export const repositoryRoot = fileURLToPath(new URL('../..', import.meta.url));

export interface BenchEnvironment {
  endpoint: string;
  tableName: string;
  key: DevKey;
  token(request: TokenRequest): Promise<string>;
  /** Creates another table with the same definition (e.g. for a replay). */
  createTable(name: string): Promise<void>;
  close(): Promise<void>;
}

/** Starts bench/lib/dynamo-server.ts (a fresh in-memory dynalite) and returns its endpoint. */
export async function startDynamoProcess(): Promise<{ endpoint: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./dynamo-server.ts', import.meta.url))], {
    cwd: repositoryRoot,
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  const lines = createInterface({ input: child.stdout! });
  const endpoint = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`dynalite process exited with ${code}`)));
    lines.once('line', (line) => resolve(line.trim()));
  });
  return { endpoint, child };
}

/**
 * Like test/support/setup.ts: a fresh in-memory dynalite (here in its own process), a
 * fresh table and development signing key, exported as the configuration the product
 * reads on first use. Product modules may be imported before; call this before the first
 * request or data access. Used by the benchmarks and the load test (bench/load-test.ts).
 */
export async function prepareBenchEnvironment(options: { logLevel?: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' } = {}): Promise<BenchEnvironment> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const { endpoint, child } = await startDynamoProcess();
  const tableName = `kanryu-bench-${randomUUID().slice(0, 8)}-main`;
  const key = await createDevKey();
  process.env.AWS_REGION = 'ap-northeast-1';
  process.env.DYNAMODB_ENDPOINT = endpoint;
  process.env.TABLE_NAME = tableName;
  Object.assign(process.env, localAuthEnvironment(key));
  process.env.KANRYU_SERVICE_KEYS = createServiceKeyring();
  process.env.POWERTOOLS_LOG_LEVEL = options.logLevel ?? 'WARN';
  // The logger is made when shared/log.ts loads (it may already have): set its level too.
  logger.setLogLevel(options.logLevel ?? 'WARN');
  await ensureTable(endpoint, tableName, process.env.AWS_REGION);
  return {
    endpoint,
    tableName,
    key,
    token: (request) => signDevToken(key, request),
    createTable: (name) => ensureTable(endpoint, name, process.env.AWS_REGION!),
    close: async () => {
      child.stdin?.end();
      await new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        const timer = setTimeout(() => {
          child.kill('SIGKILL');
          resolve();
        }, 3000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
      });
    },
  };
}
