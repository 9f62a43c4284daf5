import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { createInvoker } from '../infra/local/invoke';
import { loadHandler } from '../infra/local/load-handler';
import { startHttpServer } from '../infra/local/server';
import { pendingRecordKeys } from '../shared/data/aggregation';
import { allCompletionsOfLearner } from '../shared/data/completions';
import { seedBundledCatalog } from '../shared/domain/catalog-seed';
import { registerCourse } from '../shared/domain/courses';
import { saveOwnProfile } from '../shared/domain/learners';
import { routeList } from '../shared/http/routes';
import { runAggregation } from '../shared/progress/aggregator';
import { recount } from '../shared/progress/recount';
import { addDays } from '../shared/time/japan-time';
import { prepareBenchEnvironment } from './lib/environment';

/**
 * `npm run test:load [-- --seconds 20 --connections 32 --learners 200]`: the local host's
 * HTTP server on loopback over a fresh in-memory dynalite (in its own process, as for the
 * benchmarks: bench/lib/environment.ts), many learners logging completions while centers
 * read progress. Passes when no request failed, no completion was lost or doubled, and the
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

const environment = await prepareBenchEnvironment({ logLevel: 'ERROR' });

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
  learners.push({ id, token: await environment.token({ sub: id, role: 'learner' }) });
}
const providerToken = await environment.token({ sub: provider.sub, role: 'provider', org: provider.org });
const centerToken = await environment.token({ sub: 'load-center', role: 'center', prefecture: '31' });

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
  `Run with \`npm run test:load\` (bench/load-test.ts) on ${new Date().toISOString().slice(0, 10)}: ${seconds} s, loopback, the local host's server with an in-memory embedded DynamoDB in its own process, ${learnerCount} learners.`,
  `Machine: ${cpus()[0]?.model ?? 'unknown'} x ${cpus().length}, Node ${process.version}. The figures are this machine's, not AWS's.`,
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
