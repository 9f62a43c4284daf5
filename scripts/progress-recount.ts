import { parseArgs } from 'node:util';
import { useDataTarget } from './lib/data-target';
import { pendingRecordKeys } from '../shared/data/aggregation';
import { runAggregation } from '../shared/progress/aggregator';
import { recount, repair } from '../shared/progress/recount';

/**
 * `npm run progress:recount [-- --repair]`: lets the aggregation catch up, recomputes every
 * progress figure from the source records, and prints any difference from the running
 * aggregates (there must be none). With --repair, makes the aggregates equal the recount.
 * Exit code 0 when they agree (or were repaired), 3 when they differ.
 */
const { values } = parseArgs({ options: { repair: { type: 'boolean', default: false }, 'max-wait': { type: 'string', default: '300' } } });

const target = await useDataTarget().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});

console.error(`recount of ${target}`);
const deadline = Date.now() + Number(values['max-wait']) * 1000;
// Catch up: another runner (the local host, the AWS job) may hold the lease; then wait for it.
while ((await pendingRecordKeys(1)).length > 0) {
  const result = await runAggregation();
  // Nothing done: another runner holds the lease, or the marks left wait out their hold.
  if (!result.leaseHeld || result.records === 0) await new Promise((resolve) => setTimeout(resolve, 1000));
  if (Date.now() > deadline) {
    console.error('the aggregation has not caught up in time; nothing compared');
    process.exit(1);
  }
}

const { records, differences } = await recount();
console.log(JSON.stringify({ records, differences: differences.length }));
for (const d of differences.slice(0, 50)) console.error(`${d.aggregate} ${d.part} ${d.cell}: recounted ${d.recounted}, running ${d.running}`);
if (differences.length === 0) {
  console.error(`${records} source records; the running aggregates equal the recount.`);
  process.exit(0);
}
if (values.repair) {
  const repaired = await repair();
  console.error(`repaired ${repaired.repaired} aggregate item(s).`);
  process.exit(0);
}
console.error(`${differences.length} difference(s). Run with --repair to make the aggregates equal the recount.`);
process.exit(3);
