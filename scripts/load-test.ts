import { mkdtempSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { signDevToken } from '../infra/local/dev-key';
import { prepareLocalEnvironment, readLocalSettings } from '../infra/local/environment';

/**
 * `npm run test:load [-- --seconds 20 --connections 32 --learners 200]`: the local host on
 * loopback (in-memory store), many learners logging completions while centers read
 * progress. Passes when no request failed, no completion was lost or doubled, and the
 * aggregates equal the recount. Writes the latency percentiles to docs/load-test.md.
 */
const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '20' },
    connections: { type: 'string', default: '32' },
    learners: { type: 'string', default: '200' },
    out: { type: 'string', default: 'docs/load-test.md' },
  },
});
const seconds = Number(values.seconds);
const learnerCount = Number(values.learners);

const settings = {
  ...readLocalSettings(['--memory'], {}),
  dataDir: mkdtempSync(join(tmpdir(), 'kanryu-load-')),
  port: 0,
  dynamoPort: 0,
  externalEndpoint: undefined,
};
const environment = await prepareLocalEnvironment(settings);
process.env.POWERTOOLS_LOG_LEVEL = 'ERROR';
const { routeList } = await import('../shared/http/routes');
const { createInvoker } = await import('../infra/local/invoke');
const { loadHandler } = await import('../infra/local/load-handler');
const { startHttpServer } = await import('../infra/local/server');
const { seedBundledCatalog } = await import('../shared/domain/catalog-seed');
const { saveOwnProfile } = await import('../shared/domain/learners');
const { registerCourse } = await import('../shared/domain/courses');
const { runAggregation } = await import('../shared/progress/aggregator');
const { pendingRecordKeys } = await import('../shared/data/aggregation');
const { recount } = await import('../shared/progress/recount');
const { allCompletionsOfLearner } = await import('../shared/data/completions');
const { addDays } = await import('../shared/time/japan-time');

const now = new Date();
await seedBundledCatalog(now);
const provider = { sub: 'load-provider-staff', role: 'provider' as const, org: 'load-provider' };
const courses: Awaited<ReturnType<typeof registerCourse>>[] = [];
for (let i = 0; i < 5; i++) {
  courses.push(
    await registerCourse(
      provider,
      {
        title: `Load course ${i}`,
        delivery: 'online',
        hours: 10,
        catalogVersion: '1.2',
        literacyItems: [],
        skills: [{ skill: 'data-platform-design', level: 'b' }],
        certification: i === 0,
      },
      now,
    ),
  );
}
const learners: { id: string; token: string }[] = [];
for (let i = 0; i < learnerCount; i++) {
  const id = `load-${i}`;
  await saveOwnProfile(
    { sub: id, role: 'learner' },
    { residence: { municipality: '131016' }, workPrefectures: ['31'], workStyles: ['remote'], turn: { intent: 'none' }, matchingConsent: true },
    now,
  );
  learners.push({ id, token: await signDevToken(environment.key, { sub: id, role: 'learner' }) });
}
const providerToken = await signDevToken(environment.key, { sub: provider.sub, role: 'provider', org: provider.org });
const centerToken = await signDevToken(environment.key, { sub: 'load-center', role: 'center', prefecture: '31' });

const server = await startHttpServer(0, createInvoker(routeList, loadHandler));
const port = (server.address() as AddressInfo).port;
const aggregation = setInterval(() => void runAggregation().catch(() => undefined), 2000);

// Every completion request names a (learner, course, date) from a fixed cycle, so repeats
// happen (the same facts sent again must not make a second record).
const sent = new Set<string>();
let counter = 0;
const completionRequest = () => {
  const n = counter++;
  const learner = learners[n % learners.length]!;
  const courseId = courses[Math.floor(n / learners.length) % courses.length]!.courseId;
  const completedOn = addDays('2025-04-01', Math.floor(n / (learners.length * courses.length)) % 300);
  sent.add(`${learner.id}|${courseId}|${completedOn}`);
  const verified = n % 3 === 0;
  return {
    method: 'POST' as const,
    path: '/v1/completions',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${verified ? providerToken : learner.token}` },
    body: JSON.stringify(verified ? { learnerId: learner.id, courseId, completedOn } : { courseId, completedOn, evidence: { certificateNumber: `L-${n}` } }),
  };
};

const run = (title: string, requests: autocannon.Request[], connections: number) =>
  autocannon({ url: `http://127.0.0.1:${port}`, connections, duration: seconds, requests, title });

console.error(`load: ${seconds}s, ${values.connections} connections, ${learnerCount} learners`);
const [writes, reads] = await Promise.all([
  run('learners log completions', [{ setupRequest: (request) => ({ ...request, ...completionRequest() }) }], Number(values.connections)),
  run('centers read progress', [{ method: 'GET', path: '/v1/progress?prefecture=31', headers: { authorization: `Bearer ${centerToken}` } }], 4),
]);
clearInterval(aggregation);

for (let i = 0; i < 500 && (await pendingRecordKeys(1)).length > 0; i++) await runAggregation();
let stored = 0;
for (const learner of learners) stored += (await allCompletionsOfLearner(learner.id)).length;
const { differences } = await recount();
server.close();
await environment.close();

const failures = writes.non2xx + writes.errors + writes.timeouts + reads.non2xx + reads.errors + reads.timeouts;
const row = (name: string, r: autocannon.Result) =>
  `| ${name} | ${r.requests.total} | ${r.requests.average} | ${r.latency.p50} | ${r.latency.p90} | ${r.latency.p99} | ${r.latency.max} | ${r.non2xx + r.errors + r.timeouts} |`;
const report = [
  '# Load test',
  '',
  `Run with \`npm run test:load\` on ${new Date().toISOString().slice(0, 10)}: ${seconds} s, loopback, local host with an in-memory embedded DynamoDB, ${learnerCount} learners.`,
  `Machine: ${(await import('node:os')).cpus()[0]?.model ?? 'unknown'} x ${(await import('node:os')).cpus().length}, Node ${process.version}. The figures are this machine's, not AWS's.`,
  '',
  '| workload | requests | req/s | p50 ms | p90 ms | p99 ms | max ms | failed |',
  '|---|---|---|---|---|---|---|---|',
  row(`learners log completions (${values.connections} connections)`, writes),
  row('centers read progress (4 connections)', reads),
  '',
  `Distinct (learner, course, date) sent: ${sent.size}; completions stored: ${stored}; aggregates vs recount: ${differences.length} difference(s).`,
  '',
].join('\n');
writeFileSync(values.out!, report);
console.log(report);

if (failures > 0 || stored !== sent.size || differences.length > 0) {
  console.error(`FAILED: ${failures} failed requests, ${stored} stored for ${sent.size} sent, ${differences.length} differences`);
  process.exit(1);
}
console.error('load test passed');
process.exit(0);
