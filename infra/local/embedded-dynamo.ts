import { fork } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface EmbeddedDynamo {
  endpoint: string;
  close(): Promise<void>;
}

/**
 * dynalite: DynamoDB's wire protocol in pure Node, kept in LevelDB under `path` or in
 * memory, run in a child process. Same SDK, same validation rules; no transactions or
 * Streams (the product does not rely on either).
 */
export async function startEmbeddedDynamo(options: { path?: string; port?: number }): Promise<EmbeddedDynamo> {
  if (options.path) mkdirSync(options.path, { recursive: true });
  const child = fork(fileURLToPath(new URL('./dynalite-process.cjs', import.meta.url)), [], {
    env: { ...process.env, DYNALITE_PATH: options.path ?? '', DYNALITE_PORT: String(options.port ?? 0) },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    execArgv: [],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (message: { port?: number; error?: string }) =>
      message.port ? resolve(message.port) : reject(new Error(`embedded DynamoDB: ${message.error}`)),
    );
    child.once('exit', (code) => reject(new Error(`embedded DynamoDB exited with code ${code}`)));
  });
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
