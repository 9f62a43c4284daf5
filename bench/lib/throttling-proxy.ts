import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Between the product's DynamoDB client and dynalite, what dynalite leaves out: a network
 * round trip (`latencyMs` per request) and DynamoDB's per-partition write limit. Each
 * partition key has a token bucket of `writeUnitsPerSecond` (DynamoDB's 1,000 WCU/s per
 * partition); a write that finds too few tokens is refused with
 * ProvisionedThroughputExceededException, which the SDK retries with backoff, as in AWS.
 * A write's units are estimated from its request (1 per started KB of the item sent;
 * an update as 1): enough to tell a hot key from a spread one.
 */
export interface ThrottlingProxy {
  url: string;
  /** Writes refused for the partition key's rate. */
  throttled: number;
  /** Per partition key, the most write units accepted within one wall-clock second. */
  peakUnitsPerSecond(): { key: string; units: number }[];
  close(): Promise<void>;
}

interface Bucket {
  tokens: number;
  at: number;
  second: number;
  inSecond: number;
  peak: number;
}

type Json = Record<string, unknown>;

/** The partition key and estimated units of each item a write request touches. */
function writesOf(operation: string, body: Json): { key: string; units: number }[] {
  const units = (item: unknown) => Math.max(1, Math.ceil(JSON.stringify(item).length / 1024));
  const pk = (keyOrItem: unknown) => String(((keyOrItem as Json)?.pk as Json)?.S ?? '?');
  if (operation === 'PutItem') return [{ key: pk(body.Item), units: units(body.Item) }];
  if (operation === 'UpdateItem' || operation === 'DeleteItem') return [{ key: pk(body.Key), units: 1 }];
  if (operation === 'BatchWriteItem') {
    return Object.values(body.RequestItems as Record<string, Json[]>).flatMap((requests) =>
      requests.map((r) => {
        const put = (r.PutRequest as Json | undefined)?.Item;
        return put ? { key: pk(put), units: units(put) } : { key: pk((r.DeleteRequest as Json).Key), units: 1 };
      }),
    );
  }
  return [];
}

const refusal = JSON.stringify({
  __type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException',
  message: 'partition write rate exceeded (throttling proxy)',
});

export async function startThrottlingProxy(target: string, options: { latencyMs: number; writeUnitsPerSecond: number }): Promise<ThrottlingProxy> {
  const upstream = new URL(target);
  const buckets = new Map<string, Bucket>();
  const state = { throttled: 0 };
  const admit = (writes: { key: string; units: number }[]): boolean => {
    const now = Date.now();
    const touched = writes.map(({ key, units }) => {
      let bucket = buckets.get(key);
      if (!bucket) buckets.set(key, (bucket = { tokens: options.writeUnitsPerSecond, at: now, second: 0, inSecond: 0, peak: 0 }));
      bucket.tokens = Math.min(options.writeUnitsPerSecond, bucket.tokens + ((now - bucket.at) / 1000) * options.writeUnitsPerSecond);
      bucket.at = now;
      return { bucket, units };
    });
    if (touched.some(({ bucket, units }) => bucket.tokens < units)) return false;
    for (const { bucket, units } of touched) {
      bucket.tokens -= units;
      const second = Math.floor(now / 1000);
      if (bucket.second !== second) {
        bucket.second = second;
        bucket.inSecond = 0;
      }
      bucket.inSecond += units;
      bucket.peak = Math.max(bucket.peak, bucket.inSecond);
    }
    return true;
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const operation = String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
      const raw = Buffer.concat(chunks);
      setTimeout(() => {
        if (!admit(writesOf(operation, JSON.parse(raw.toString('utf8') || '{}') as Json))) {
          state.throttled++;
          res.writeHead(400, { 'content-type': 'application/x-amz-json-1.0' }).end(refusal);
          return;
        }
        const forward = httpRequest({ hostname: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
          const body: Buffer[] = [];
          answer.on('data', (chunk: Buffer) => body.push(chunk));
          answer.on('end', () => res.writeHead(answer.statusCode ?? 500, answer.headers).end(Buffer.concat(body)));
        });
        forward.on('error', () => req.socket.destroy());
        forward.end(raw);
      }, options.latencyMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get throttled() {
      return state.throttled;
    },
    peakUnitsPerSecond: () => [...buckets.entries()].map(([key, b]) => ({ key, units: b.peak })).sort((a, b) => b.units - a.units),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
