import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A proxy between the handlers' DynamoDB client and the embedded DynamoDB that injects
 * what real DynamoDB and real networks do: throttling, 500s, requests that time out, and
 * connections dropped after the write has landed (the client never learns it succeeded).
 */
export type Fault = 'pass' | 'throttle' | 'error500' | 'drop-after-write' | 'timeout';

export interface FaultProxy {
  url: string;
  /** Chooses the fault for each request by its operation (e.g. "PutItem"). */
  setPolicy(policy: (operation: string) => Fault): void;
  counts: Record<Fault, number>;
  close(): Promise<void>;
}

const error = (type: string) => JSON.stringify({ __type: `com.amazonaws.dynamodb.v20120810#${type}`, message: 'injected by the fault proxy' });

export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const upstream = new URL(target);
  let policy: (operation: string) => Fault = () => 'pass';
  const counts: Record<Fault, number> = { pass: 0, throttle: 0, error500: 0, 'drop-after-write': 0, timeout: 0 };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const operation = String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
      const fault = policy(operation);
      counts[fault]++;
      if (fault === 'throttle') {
        res.writeHead(400, { 'content-type': 'application/x-amz-json-1.0' }).end(error('ProvisionedThroughputExceededException'));
        return;
      }
      if (fault === 'error500') {
        res.writeHead(500, { 'content-type': 'application/x-amz-json-1.0' }).end(error('InternalServerError'));
        return;
      }
      if (fault === 'timeout') {
        setTimeout(() => req.socket.destroy(), 6_000);
        return;
      }
      const forward = httpRequest({ hostname: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
        const body: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => body.push(chunk));
        answer.on('end', () => {
          if (fault === 'drop-after-write') {
            req.socket.destroy();
            return;
          }
          res.writeHead(answer.statusCode ?? 500, answer.headers).end(Buffer.concat(body));
        });
      });
      forward.on('error', () => req.socket.destroy());
      forward.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    setPolicy: (next) => {
      policy = next;
    },
    counts,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A seeded random policy: `rate` of requests get a fault, spread over the kinds given. */
export function randomFaults(seed: number, rate: number, kinds: Exclude<Fault, 'pass'>[]): (operation: string) => Fault {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return () => (next() < rate ? kinds[Math.floor(next() * kinds.length)]! : 'pass');
}
