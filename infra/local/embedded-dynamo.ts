import type { AddressInfo } from 'node:net';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export interface EmbeddedDynamo {
  endpoint: string;
  close(): Promise<void>;
}

/**
 * dynalite: DynamoDB's wire protocol in pure Node, kept in LevelDB under `path` or in
 * memory. Same SDK, same validation rules; no transactions or Streams (the product does
 * not rely on either).
 */
export async function startEmbeddedDynamo(options: { path?: string; port?: number }): Promise<EmbeddedDynamo> {
  const dynalite = require('dynalite') as (opts: Record<string, unknown>) => import('node:http').Server;
  if (options.path) mkdirSync(options.path, { recursive: true });
  const server = dynalite({ ...(options.path ? { path: options.path } : {}), createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
      }),
  };
}
