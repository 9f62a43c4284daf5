import { randomUUID } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { createDevKey, createServiceKeyring, localAuthEnvironment } from '../../infra/local/dev-key';
import { startEmbeddedDynamo } from '../../infra/local/embedded-dynamo';
import { dropTable, ensureTable } from '../../infra/local/environment';

/**
 * Runs before each test file: a fresh in-memory dynalite (or, with DYNAMODB_ENDPOINT set,
 * the external endpoint) and a fresh table and signing key, exported as the configuration
 * the product reads on first use. Nothing is mocked: the real SDK talks to a real server.
 * Integration project only (vitest.config.ts): test/unit runs without it.
 */
// The SDK is pinned to a release that supports Node 20 (see package.json); its notice
// about later releases is noise on every local start.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
// DYNAMODB_ENDPOINT set by the person running the tests means "use that server";
// set by an earlier test file in this worker it names a server that has gone.
const external = process.env.KANRYU_TEST_OWNS_ENDPOINT ? undefined : process.env.DYNAMODB_ENDPOINT || undefined;
const embedded = external ? undefined : await startEmbeddedDynamo({});
if (embedded) process.env.KANRYU_TEST_OWNS_ENDPOINT = '1';
const endpoint = external ?? embedded!.endpoint;
const tableName = `kanryu-test-${randomUUID().slice(0, 8)}-main`;
const key = await createDevKey();

process.env.AWS_REGION ??= 'ap-northeast-1';
process.env.DYNAMODB_ENDPOINT = endpoint;
process.env.TABLE_NAME = tableName;
Object.assign(process.env, localAuthEnvironment(key));
process.env.KANRYU_SERVICE_KEYS = createServiceKeyring();
process.env.KANRYU_TEST_SIGNING_KEY = JSON.stringify(key);
process.env.POWERTOOLS_LOG_LEVEL = 'INFO';
// Tests count what they just wrote: every record gets a mark that is due at once. The
// shared marks of a learner's burst have their own test (test/progress/shared-marks.test.ts).
process.env.KANRYU_PROGRESS_HOLD_SECONDS ??= '0';
captureLogLines();

await ensureTable(endpoint, tableName, process.env.AWS_REGION);

afterAll(async () => {
  if (embedded) return embedded.close();
  await dropTable(endpoint, tableName, process.env.AWS_REGION!);
});

/**
 * Everything this worker writes goes to the log-capture file that the global teardown
 * scans for personal data (test/support/log-capture.ts). The product's JSON log lines are
 * kept out of the test output; anything else is still printed.
 */
function captureLogLines() {
  const dir = process.env.KANRYU_LOG_CAPTURE_DIR;
  if (!dir || (process.stdout.write as { captured?: boolean }).captured) return;
  const file = join(dir, `${process.pid}.log`);
  // Proves to the scan that capture ran, even in a run whose tests log nothing.
  appendFileSync(file, `{"capture":"started","pid":${process.pid}}\n`);
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream) as (chunk: unknown, ...rest: unknown[]) => boolean;
    const wrapped = (chunk: unknown, ...rest: unknown[]) => {
      const text = typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) ? chunk.toString('utf8') : String(chunk);
      appendFileSync(file, text.endsWith('\n') ? text : `${text}\n`);
      if (text.startsWith('{"level":') && !process.env.KANRYU_SHOW_LOGS) return true;
      return write(chunk, ...rest);
    };
    stream.write = Object.assign(wrapped, { captured: true }) as typeof stream.write;
  }
}
