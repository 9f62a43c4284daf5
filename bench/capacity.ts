import { marshall } from '@aws-sdk/util-dynamodb';
import { createApi, expectStatus } from './lib/api';
import { prepareBenchEnvironment } from './lib/environment';
import { BENCH_PROVIDER, benchCourses, profileBody } from './lib/fixtures';
import { billedWriteUnits, Meter, sizeOf, totalsOf, type OpRecord, type Totals } from './lib/meter';
import type { SectionResult } from './lib/results';
import { Section, progress } from './lib/section';
import { count, kib, max, median } from './lib/stats';
import { saturatedAggregates, synthesizeAggregates } from './lib/synthesize';

/**
 * DynamoDB cost per operation, from ConsumedCapacity (dynalite computes it with DynamoDB's
 * rules for the base table) plus a model of what dynalite leaves out (index writes and
 * failed conditional writes; see lib/meter.ts).
 */
const COMPLETIONS = 20;
const WCU_BUDGET = 4;
const PROGRESS_POINTS = [1_000, 10_000, 100_000];
const WARM_READS = 5;

type Range = [number, number];

export async function run(): Promise<SectionResult> {
  const section = new Section('capacity', 'DynamoDB capacity per operation');
  const env = await prepareBenchEnvironment();
  try {
    const { db } = await import('../shared/data/client');
    const { deleteAggregate, putAggregatePart } = await import('../shared/data/aggregation');
    const { aggregateAndPart } = await import('../shared/progress/contribution');
    const meter = new Meter().install(db).modelIndexes(env.endpoint, process.env.AWS_REGION!);
    const call = await createApi();
    const { seedBundledCatalog } = await import('../shared/domain/catalog-seed');
    const { bundledCatalogVersions } = await import('../shared/catalog/bundled');
    const { putCourse } = await import('../shared/data/courses');
    const { runAggregation } = await import('../shared/progress/aggregator');
    const { reportAggregateIds } = await import('../shared/progress/report');
    const { currentCountingRule } = await import('../shared/rules/bundled');
    const { addDays, japanDate } = await import('../shared/time/japan-time');

    const now = new Date();
    const today = japanDate(now);
    const ruleVersion = currentCountingRule.version;
    await seedBundledCatalog(now);
    // The bundled (pure) copy for building fixtures: reading the installed one would warm the
    // process's catalog cache before the first (cold) progress read.
    const catalog = bundledCatalogVersions()[0]!;
    const roles = catalog.promotion.roles.map((r) => ({ id: r.id, typeId: r.typeId }));
    const courses = benchCourses(catalog, COMPLETIONS, now.toISOString());
    for (const { course, roles: courseRoles } of courses) await putCourse(course, courseRoles);
    const provider = await env.token({ sub: `${BENCH_PROVIDER}-staff`, role: 'provider', org: BENCH_PROVIDER });
    const learners = ['cap-a', 'cap-b', 'cap-c', 'cap-d'];
    for (const id of learners)
      expectStatus(await call('PUT', '/v1/learners/me', { token: await env.token({ sub: id, role: 'learner' }), body: profileBody() }), 201, 'learner profile');

    // ---- 1. Progress reads over aggregates synthesized for 1k, 10k, 100k learners.
    const ids = reportAggregateIds(ruleVersion, today);
    const allIds = [...ids.people, ...ids.completions];
    const writeAggregates = async (aggregates: Record<string, Record<string, number>>) => {
      meter.enabled = false;
      let bytes = 0;
      let largest = 0;
      let cells = 0;
      for (const id of allIds) await deleteAggregate(id);
      for (const [physical, found] of Object.entries(aggregates)) {
        const { aggregate, part } = aggregateAndPart(physical);
        if (!allIds.includes(aggregate)) continue;
        const item = await putAggregatePart(aggregate, part, found);
        const size = sizeOf(marshall(item));
        bytes += size;
        largest = Math.max(largest, size);
        cells += Object.keys(found).length;
      }
      meter.enabled = true;
      return { bytes, largest, cells };
    };
    const readProgress = async (): Promise<Totals> => {
      const from = meter.mark();
      expectStatus(await call('GET', '/v1/progress'), 200, 'GET /v1/progress');
      return meter.totals(from);
    };

    const progressRows: string[][] = [];
    const warmRcu = new Map<string, number>();
    let cold: Totals | undefined;
    const synthesized = new Map<number, Record<string, Record<string, number>>>();
    for (const learnersCount of PROGRESS_POINTS) {
      progress(`progress reads: synthesizing aggregates for ${count(learnersCount)} learners`);
      const aggregates = synthesizeAggregates(learnersCount, { seed: 7, today, ruleVersion, roles });
      synthesized.set(learnersCount, aggregates);
      const written = await writeAggregates(aggregates);
      if (!cold) cold = await readProgress();
      const reads: Totals[] = [];
      for (let i = 0; i < WARM_READS; i++) reads.push(await readProgress());
      const rcu = median(reads.map((t) => t.readUnits));
      warmRcu.set(String(learnersCount), rcu);
      progressRows.push([
        `${count(learnersCount)} learners${learnersCount === 100_000 ? ' (synthesized at the aggregate level)' : ' (synthesized)'}`,
        count(written.cells),
        kib(written.bytes),
        kib(written.largest),
        String(median(reads.map((t) => t.items))),
        String(median(reads.map((t) => t.ops))),
        rcu.toFixed(1),
        `${Math.min(...reads.map((t) => t.readUnits)).toFixed(1)}–${max(reads.map((t) => t.readUnits)).toFixed(1)}`,
      ]);
    }
    const bound = saturatedAggregates({ today, ruleVersion, roles, years: ids.years });
    const boundWritten = await writeAggregates(bound);
    const boundReads: Totals[] = [];
    for (let i = 0; i < WARM_READS; i++) boundReads.push(await readProgress());
    const boundRcu = median(boundReads.map((t) => t.readUnits));
    progressRows.push([
      'bound: every cell present, 7-digit counts (any number of learners)',
      count(boundWritten.cells),
      kib(boundWritten.bytes),
      kib(boundWritten.largest),
      String(median(boundReads.map((t) => t.items))),
      String(median(boundReads.map((t) => t.ops))),
      boundRcu.toFixed(1),
      `${Math.min(...boundReads.map((t) => t.readUnits)).toFixed(1)}–${max(boundReads.map((t) => t.readUnits)).toFixed(1)}`,
    ]);
    // Leave the 100k state in place: completions below update aggregates of realistic size.
    await writeAggregates(synthesized.get(100_000)!);

    // ---- 2. Write units per logged completion, with its share of the aggregation.
    const dates = Array.from({ length: COMPLETIONS }, (_, k) => addDays(today, -(10 * (COMPLETIONS - k))));
    const aggregateAll = async (): Promise<Range[]> => {
      const ranges: Range[] = [];
      for (;;) {
        const from = meter.mark();
        const result = await runAggregation();
        // The final pass finds nothing pending: the job's idle poll, not this completion's work.
        if (result.records === 0) return ranges;
        ranges.push([from, meter.mark()]);
      }
    };
    const scenario = async (learnerId: string, aggregateEach: boolean) => {
      progress(`completions: ${learnerId}, ${COMPLETIONS} POSTs, aggregation ${aggregateEach ? 'after each' : 'once after all'}`);
      expect((await aggregateAll()).length === 0, 'nothing pending before the scenario');
      const posts: Range[] = [];
      const aggregation: Range[] = [];
      for (let k = 0; k < COMPLETIONS; k++) {
        const from = meter.mark();
        const res = await call('POST', '/v1/completions', {
          token: provider,
          body: { learnerId, courseId: courses[k]!.course.courseId, completedOn: dates[k] },
        });
        expectStatus(res, 201, 'POST /v1/completions');
        posts.push([from, meter.mark()]);
        if (aggregateEach) aggregation.push(...(await aggregateAll()));
      }
      if (!aggregateEach) aggregation.push(...(await aggregateAll()));
      const records = (ranges: Range[]) => ranges.flatMap(([a, b]) => meter.slice(a, b));
      return {
        post: totalsOf(records(posts)),
        aggregation: totalsOf(records(aggregation)),
        postRecords: records(posts),
        aggregationRecords: records(aggregation),
        perPost: posts.map(([a, b]) => meter.totals(a, b)),
        perPostRecords: posts.map(([a, b]) => meter.slice(a, b)),
      };
    };
    const at100kBatched = await scenario('cap-a', false);
    const at100kEach = await scenario('cap-b', true);
    meter.enabled = false;
    for (const id of allIds) await deleteAggregate(id);
    meter.enabled = true;
    const emptyBatched = await scenario('cap-c', false);
    const emptyEach = await scenario('cap-d', true);

    // ---- Report.
    const total = (s: { post: Totals; aggregation: Totals }) => (billedWriteUnits(s.post) + billedWriteUnits(s.aggregation)) / COMPLETIONS;
    const tableOnly = (s: { post: Totals; aggregation: Totals }) => (s.post.writeUnits + s.aggregation.writeUnits) / COMPLETIONS;
    const headline = total(at100kBatched);

    section.method.push(
      `An SDK middleware added by the bench to the product's shared client (\`db.middlewareStack\`, step initialize, in the bench process only) sets ReturnConsumedCapacity: 'TOTAL' on every command and sums output.ConsumedCapacity (arrays for batch operations). dynalite computes the base-table units with DynamoDB's rules (reads: 4 KB steps, eventually consistent halves; writes: 1 KB steps of the larger of old and new item). It reports nothing for global secondary indexes or failed conditional writes, which DynamoDB bills; the bench models both (lib/meter.ts: it reads each written item before and after with a separate, unmetered client). "Billed" = base table + modeled index writes + modeled failed conditions.`,
      `Completions: ${COMPLETIONS} courses like scripts/seed-demo.ts (one per DSS-P role, every fifth a certification); a learner with the profile of test/support/fixtures.ts (consents; 4 candidate pools: residence 13, work 31 and 32, remote); ${COMPLETIONS} POST /v1/completions by the provider through the in-process invoker, then the aggregation (runAggregation until nothing is pending; the last, empty pass is the job's idle poll and is not counted), divided by ${COMPLETIONS}. Run against aggregate items of 100k-learner size (below) and against empty ones.`,
      `Progress: the ${allIds.length} aggregate items a report reads were written directly, synthesized for 1k, 10k and 100k learners (lib/synthesize.ts: completions and qualifications drawn with seed-demo's distributions, turned into cells by the product's contributionOf and summed). That is sound because a report reads only these items, and the aggregator maintains exactly aggregate = Σ contributionOf(counted records) (what \`npm run progress:recount\` verifies); creating 100k learners through the API would take hours here and would change nothing the report reads.`,
    );
    section.figure(
      `Billed WCU per logged completion, learner with ${COMPLETIONS} completions, incl. its share of the aggregation (aggregates at 100k-learner size, aggregated once after all ${COMPLETIONS})`,
      `${headline.toFixed(2)} (base table only: ${tableOnly(at100kBatched).toFixed(2)})`,
      { text: `≤ ${WCU_BUDGET} (floor 1)`, within: headline <= WCU_BUDGET },
    );
    section.figure(
      '… same, aggregation after each completion (a quiet hour: every 5 s poll finds one record)',
      `${total(at100kEach).toFixed(2)} (base table only: ${tableOnly(at100kEach).toFixed(2)})`,
      {
        text: `≤ ${WCU_BUDGET}`,
        within: total(at100kEach) <= WCU_BUDGET,
      },
    );
    section.figure(
      '… same, empty aggregates, aggregated once after all',
      `${total(emptyBatched).toFixed(2)} (base table only: ${tableOnly(emptyBatched).toFixed(2)})`,
    );
    section.figure('… same, empty aggregates, aggregation after each', `${total(emptyEach).toFixed(2)} (base table only: ${tableOnly(emptyEach).toFixed(2)})`);
    const rcu100k = warmRcu.get('100000')!;
    const itemsPerRead = new Set([...progressRows.map((r) => r[4]), String(median(boundReads.map((t) => t.items)))]);
    section.figure(
      'RCU per GET /v1/progress (warm) at 1k / 10k / 100k learners; bound for any number',
      `${PROGRESS_POINTS.map((n) => warmRcu.get(String(n))!.toFixed(1)).join(' / ')}; bound ${boundRcu.toFixed(1)}`,
      { text: 'bounded: same items, RCU ≤ bound', within: rcu100k <= boundRcu && itemsPerRead.size === 1 },
    );
    section.figure(
      'RCU of the first progress read in a fresh process (adds the catalog summary and document)',
      `${cold!.readUnits.toFixed(1)} (${cold!.ops} operations, ${cold!.items} items)`,
    );

    section.table(
      'GET /v1/progress: data read per request (warm process; each row measured over 5 requests)',
      ['aggregates for', 'cells', 'aggregate bytes (10 items)', 'largest item', 'items read', 'operations', 'RCU (median)', 'RCU range'],
      progressRows,
    );

    const scenarioRow = (name: string, s: Awaited<ReturnType<typeof scenario>>) => [
      name,
      (s.post.writeUnits / COMPLETIONS).toFixed(2),
      (s.post.indexWriteUnits / COMPLETIONS).toFixed(2),
      (s.post.failedConditionUnits / COMPLETIONS).toFixed(2),
      (s.aggregation.writeUnits / COMPLETIONS).toFixed(2),
      (s.aggregation.indexWriteUnits / COMPLETIONS).toFixed(2),
      (s.aggregation.failedConditionUnits / COMPLETIONS).toFixed(2),
      `**${total(s).toFixed(2)}**`,
      ((s.post.readUnits + s.aggregation.readUnits) / COMPLETIONS).toFixed(2),
      ((s.post.ops + s.aggregation.ops) / COMPLETIONS).toFixed(1),
    ];
    section.table(
      `Per logged completion (÷ ${COMPLETIONS}): write units of the POST and of the aggregation, split into base table / modeled index writes / modeled failed conditions`,
      ['scenario', 'POST table', 'POST index', 'POST failed cond.', 'agg. table', 'agg. index', 'agg. failed cond.', 'billed WCU', 'RCU', 'operations'],
      [
        scenarioRow('100k aggregates, aggregated once', at100kBatched),
        scenarioRow('100k aggregates, aggregated after each', at100kEach),
        scenarioRow('empty aggregates, aggregated once', emptyBatched),
        scenarioRow('empty aggregates, aggregated after each', emptyEach),
      ],
    );

    const kinds = byKindPerCompletion(at100kBatched.postRecords, at100kBatched.aggregationRecords);
    section.table(
      'Where the write units go (100k aggregates, aggregated once), per completion, by item written',
      ['item', 'POST ops', 'POST billed WCU', 'aggregation ops', 'aggregation billed WCU', 'total billed WCU', 'share'],
      kinds.map((k) => [
        k.kind,
        k.postOps.toFixed(2),
        k.postWcu.toFixed(2),
        k.aggOps.toFixed(2),
        k.aggWcu.toFixed(2),
        k.total.toFixed(2),
        `${((k.total / headline) * 100).toFixed(0)} %`,
      ]),
    );
    const first = at100kBatched.perPost[0]!;
    const last = at100kBatched.perPost[COMPLETIONS - 1]!;
    section.table(
      'One POST /v1/completions: operations and units, first vs 20th completion of the learner',
      ['POST', 'operations', 'by command', 'billed WCU', 'RCU', 'items read'],
      [
        ['1st', String(first.ops), commandSummary(first), billedWriteUnits(first).toFixed(1), first.readUnits.toFixed(1), String(first.items)],
        [`${COMPLETIONS}th`, String(last.ops), commandSummary(last), billedWriteUnits(last).toFixed(1), last.readUnits.toFixed(1), String(last.items)],
      ],
    );

    const batchedPlan = planEstimate(at100kBatched.perPostRecords, at100kBatched.aggregationRecords);
    const eachPlan = planEstimate(at100kEach.perPostRecords, at100kEach.aggregationRecords);
    section.table(
      "Plan estimate: billed WCU per completion after each step, recomputed from this run's per-operation records (100k aggregates)",
      ['step', 'aggregated once', 'aggregated after each'],
      batchedPlan.map((row, i) => [row.step, row.wcu.toFixed(2), eachPlan[i]!.wcu.toFixed(2)]),
    );
    if (headline > WCU_BUDGET || total(at100kEach) > WCU_BUDGET) {
      const kindsEach = byKindPerCompletion(at100kEach.postRecords, at100kEach.aggregationRecords);
      const find = (list: typeof kinds, kind: string) => list.find((k) => k.kind === kind);
      const describe = (k: (typeof kinds)[number]) => `${k.kind} ${k.total.toFixed(2)} WCU (${k.writeOps.toFixed(2)} writes of ~${kib(k.avgBytes)})`;
      const derivations = (s: Awaited<ReturnType<typeof scenario>>) =>
        [...s.postRecords, ...s.aggregationRecords].filter((r) => r.kind === 'derivation sequence').length / COMPLETIONS;
      const postBilled = billedWriteUnits(at100kBatched.post) / COMPLETIONS;
      const perPost = (kind: string) => (find(kinds, kind)?.postOps ?? 0).toFixed(2).replace(/\.00$/, '');
      const aggItem = find(kinds, 'aggregate item');
      const aggItemEach = find(kindsEach, 'aggregate item');
      const last = batchedPlan[batchedPlan.length - 1]!;
      section.over.push({
        figure: `Billed WCU per completion: ${headline.toFixed(2)} aggregated once, ${total(at100kEach).toFixed(2)} aggregated after each (budget ≤ ${WCU_BUDGET})`,
        why:
          `Per completion (aggregated once) the writes are: ${kinds.slice(0, 6).map(describe).join('; ')}. ` +
          `The POST alone is ${postBilled.toFixed(2)} WCU: besides the completion (a put plus its gsi1 and pending-index entries) it re-derives the learner synchronously, writing per POST ${perPost('derivation sequence')} derivation-sequence update, ${perPost('learner skills')} skills item (~${kib(find(kinds, 'learner skills')?.avgBytes ?? 0)}), ${perPost('published pools')} published-pools writes and ${perPost('pool entry')} pool entries (~${kib(find(kinds, 'pool entry')?.avgBytes ?? 0)} each: a copy of the skill summary for each of the learner's 4 candidate pools whenever it changed). ` +
          `The aggregation rewrites each completion (markCounted; again with index writes, as every index projects ALL attributes), refreshes every learner of the batch (${derivations(at100kBatched).toFixed(2)} derivations per completion aggregated once, ${derivations(at100kEach).toFixed(2)} aggregated after each), and updates the aggregate items, which DynamoDB bills on the whole item: ` +
          (aggItem && aggItemEach
            ? `${aggItem.total.toFixed(2)} WCU per completion when the 20 share one batch, ${aggItemEach.total.toFixed(2)} when each completion is its own batch (~${kib(aggItemEach.avgBytes)} items at 100k learners) — and one record per batch is the normal case whenever completions arrive more than 5 s apart (5,000 a day is one every ~17 s).`
            : '.'),
        plan:
          batchedPlan
            .slice(1)
            .map((row, i) => `(${i + 1}) ${row.step}: ≈ ${row.wcu.toFixed(1)} aggregated once / ${eachPlan[i + 1]!.wcu.toFixed(1)} after each`)
            .join('; ') +
          (last.wcu > WCU_BUDGET
            ? `. Even then it stays above ${WCU_BUDGET}: what remains is the completion's own lifecycle (put + 2 index entries, then the counted stamp) and one derivation per completion (skills item + one entry per pool). Reaching ≤ ${WCU_BUDGET} needs the derivation off the per-completion path — the POST writes only the completion and the aggregator derives once per learner per batch (shared by all of a learner's completions in a CSV import or burst) — or a budget that counts derived state separately from the completion.`
            : '.'),
      });
    }
    section.notes.push(
      `Candidate ranking reads (RCU per GET /v1/openings/{id}/candidates as the pool grows) are measured in the ranking benchmark below, on pool entries written directly with shared/data/pools.ts putPoolEntry.`,
      'Warm process: the catalog document and courses are cached by the product after first use, as in a warm Lambda. The first progress read of a process additionally reads the catalog summary and document (row "first progress read").',
      'Index-write model limits: only single-item writes are modeled (the completion path issues no batch writes); concurrent writes to the same item could mis-attribute (none occur on these paths).',
    );
    meter.close();
    return section.finish();
  } finally {
    await env.close();
  }
}

function expect(condition: boolean, what: string) {
  if (!condition) throw new Error(`capacity benchmark: expected ${what}`);
}

function commandSummary(t: Totals): string {
  return Object.entries(t.byCommand)
    .sort((a, b) => b[1] - a[1])
    .map(([c, n]) => `${n} ${c.replace(/Command$/, '')}`)
    .join(', ');
}

function byKindPerCompletion(post: OpRecord[], aggregation: OpRecord[]) {
  const kinds = new Map<
    string,
    { kind: string; postOps: number; postWcu: number; aggOps: number; aggWcu: number; total: number; writeOps: number; bytes: number; avgBytes: number }
  >();
  const add = (records: OpRecord[], into: 'post' | 'agg') => {
    for (const r of records) {
      const billed = r.writeUnits + r.indexWriteUnits + r.failedConditionUnits;
      const isWrite = !['GetItemCommand', 'BatchGetItemCommand', 'QueryCommand', 'ScanCommand'].includes(r.command);
      if (!isWrite) continue;
      const k = kinds.get(r.kind) ?? { kind: r.kind, postOps: 0, postWcu: 0, aggOps: 0, aggWcu: 0, total: 0, writeOps: 0, bytes: 0, avgBytes: 0 };
      k.writeOps += 1 / COMPLETIONS;
      k.bytes += r.itemBytes ?? 0;
      k.avgBytes = k.bytes / (k.writeOps * COMPLETIONS);
      if (into === 'post') {
        k.postOps += 1 / COMPLETIONS;
        k.postWcu += billed / COMPLETIONS;
      } else {
        k.aggOps += 1 / COMPLETIONS;
        k.aggWcu += billed / COMPLETIONS;
      }
      k.total += billed / COMPLETIONS;
      kinds.set(r.kind, k);
    }
  };
  add(post, 'post');
  add(aggregation, 'agg');
  return [...kinds.values()].sort((a, b) => b.total - a.total);
}

/**
 * What the plan would save, estimated from this run's records: each step changes the cost
 * of the operations it touches, cumulatively.
 */
function planEstimate(perPost: OpRecord[][], aggregation: OpRecord[]): { step: string; wcu: number }[] {
  type Op = { r: OpRecord; phase: 'post' | 'agg'; request: number; cost: number };
  const isWrite = (r: OpRecord) => !['GetItemCommand', 'BatchGetItemCommand', 'QueryCommand', 'ScanCommand'].includes(r.command);
  const cost = (r: OpRecord) => r.writeUnits + r.indexWriteUnits + r.failedConditionUnits;
  const ops: Op[] = [
    ...perPost.flatMap((records, request) => records.filter(isWrite).map((r) => ({ r, phase: 'post' as const, request, cost: cost(r) }))),
    ...aggregation.filter(isWrite).map((r) => ({ r, phase: 'agg' as const, request: -1, cost: cost(r) })),
  ];
  const totalNow = () => ops.reduce((n, o) => n + o.cost, 0) / COMPLETIONS;
  const derived = new Set(['derivation sequence', 'learner skills', 'published pools', 'pool entry']);
  const rows = [{ step: 'measured', wcu: totalNow() }];
  // 1. The aggregator does not re-derive a learner the POST already derived (derivation sequence newer than the records).
  for (const o of ops) if (o.phase === 'agg' && derived.has(o.r.kind)) o.cost = 0;
  rows.push({ step: 'derive once: the aggregator skips learners the POST already derived', wcu: totalNow() });
  // 2. Published pools written at most once per POST (a second, identical write goes).
  const published = new Set<number>();
  for (const o of ops) {
    if (o.phase !== 'post' || o.r.kind !== 'published pools') continue;
    if (published.has(o.request)) o.cost = 0;
    published.add(o.request);
  }
  rows.push({ step: 'write the published-pools item at most once per derivation', wcu: totalNow() });
  // 3. Pool entries under 1 KB (skill levels and readiness encoded compactly): 1 WCU each.
  for (const o of ops) if (o.r.kind === 'pool entry' && o.cost > 0) o.cost = 1;
  rows.push({ step: 'compact pool entries (< 1 KB: levels as a short string, readiness as integers)', wcu: totalNow() });
  // 4. Index projections: pending → KEYS_ONLY, gsi1 → INCLUDE without counted/countedVersion: the counted stamp no longer rewrites gsi1.
  for (const o of ops) if (o.phase === 'agg' && o.r.kind === 'completion' && o.r.indexWriteUnits > 1) o.cost -= o.r.indexWriteUnits - 1;
  rows.push({ step: 'index projections: pending KEYS_ONLY, gsi1 INCLUDE (the counted stamp stops rewriting gsi1)', wcu: totalNow() });
  // 5. Aggregates sharded into ~1 KB items (month of days; prefecture × type/role): ~3 small items per current aggregate write.
  for (const o of ops) if (o.r.kind === 'aggregate item' && o.cost > 0) o.cost = 3;
  rows.push({ step: 'shard aggregate items to ~1 KB (≈ 3 small writes instead of one whole-item write)', wcu: totalNow() });
  return rows;
}
