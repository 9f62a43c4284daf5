import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type Metafile } from 'esbuild';
import { routeList } from '../shared/http/routes';
import { repositoryRoot } from './lib/environment';
import { mulberry32 } from './lib/matching-generate';
import { Section, progress } from './lib/section';
import { count, kib, median, ratio, shuffle } from './lib/stats';
import type { SectionResult } from './lib/results';

/**
 * Cold start: every function entry bundled with the CDK's esbuild options into a temp
 * dir, then the time to import() each bundle in a fresh node process, as a ratio to a
 * baseline bundle holding only the DynamoDB document client.
 */
const ROUNDS = Number(process.env.BENCH_COLD_ROUNDS ?? 10);
const BASELINE_PER_ROUND = 3;
const BUDGET = 1.3;

const constructFile = join(repositoryRoot, 'infra/constructs/kanryu-function.ts');
/**
 * The banner CDK puts on every bundle and the functions' NODE_OPTIONS, read from the
 * construct so the two cannot drift.
 */
function cdkBundling(): { banner: string; target: string; nodeOptions: string } {
  const source = readFileSync(constructFile, 'utf8');
  const banner = /banner:\s*"((?:[^"\\]|\\.)*)"/.exec(source)?.[1];
  const target = /target:\s*'([^']+)'/.exec(source)?.[1] ?? 'unknown';
  const nodeOptions = /NODE_OPTIONS:\s*'([^']*)'/.exec(source)?.[1] ?? '';
  if (!banner) throw new Error(`cannot find the esbuild banner in ${constructFile}`);
  return { banner: JSON.parse(`"${banner}"`) as string, target, nodeOptions };
}

const BASELINE_SOURCE = `import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
export const db = DynamoDBDocumentClient.from(new DynamoDBClient({}));
export const handler = async () => ({ ok: !!db });
`;

function functionEntries(): Record<string, string> {
  const root = join(repositoryRoot, 'functions');
  const entries: Record<string, string> = {};
  for (const file of readdirSync(root, { recursive: true }) as string[]) {
    if (!file.endsWith('.ts') || file.endsWith('.d.ts')) continue;
    entries[file.replace(/\.ts$/, '')] = join(root, file);
  }
  return Object.fromEntries(Object.entries(entries).sort(([a], [b]) => a.localeCompare(b)));
}

/** Groups metafile inputs: an npm package by name, own code by its top two folders. */
function groupOf(input: string): string {
  const nm = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
  if (nm) return nm[1]!;
  if (input.startsWith('<stdin>')) return 'baseline entry';
  const parts = input.split('/');
  if (parts[0] === 'shared' && parts[1] === 'catalog' && parts[2] === 'data') return 'shared/catalog/data (catalog JSON + CSV)';
  return parts.length > 2 ? `${parts[0]}/${parts[1]}` : parts[0]!;
}

function groupBytes(output: Metafile['outputs'][string]): Map<string, number> {
  const groups = new Map<string, number>();
  for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
    const g = groupOf(input);
    groups.set(g, (groups.get(g) ?? 0) + bytesInOutput);
  }
  return groups;
}

const probeSource = `const started = performance.now();
const module = await import(process.argv[2]);
const imported = performance.now();
process.stdout.write(JSON.stringify({ importMs: imported - started, readyMs: imported, handler: typeof module.handler }));
`;

interface Bundle {
  name: string;
  file: string;
  bytes: number;
  mapBytes: number;
  groups: Map<string, number>;
  /** Individual input files by bytes in the output (the metafile's own granularity). */
  inputs: [string, number][];
  /** One sample per process: the round it ran in, and whether --enable-source-maps was on. */
  samples: { round: number; maps: boolean; importMs: number; readyMs: number }[];
  failure?: string;
}

export async function run(): Promise<SectionResult> {
  const section = new Section('cold-start', 'Cold start (bundle size and import time)');
  const { banner, target: cdkTarget, nodeOptions } = cdkBundling();
  // The budget figure runs the bundles as the stack does (with or without
  // --enable-source-maps, as its NODE_OPTIONS say); the other variant is context.
  const stackMaps = nodeOptions.split(/\s+/).includes('--enable-source-maps');
  const otherMaps = !stackMaps;
  const stackVariant = stackMaps ? `NODE_OPTIONS=--enable-source-maps, as the stack sets` : 'without --enable-source-maps, as the stack runs them';
  const otherVariant = otherMaps ? 'with --enable-source-maps' : 'without source maps';
  const dir = mkdtempSync(join(tmpdir(), 'kanryu-bench-cold-'));
  try {
    const entries = functionEntries();
    const common = {
      bundle: true,
      platform: 'node' as const,
      format: 'esm' as const,
      target: 'node20',
      minify: true,
      sourcemap: true,
      sourcesContent: false,
      mainFields: ['module', 'main'],
      // As the stack ships them: beside the bundle, loaded only for the answer that needs them.
      external: [...new Set(routeList.flatMap((route) => route.lambda?.nodeModules ?? []))],
      banner: { js: banner },
      outExtension: { '.js': '.mjs' },
      metafile: true,
      logLevel: 'warning' as const,
      absWorkingDir: repositoryRoot,
    };
    progress(`bundling ${Object.keys(entries).length} function entries + baseline with esbuild`);
    const functions = await build({ ...common, entryPoints: entries, outdir: join(dir, 'functions') });
    const baseline = await build({
      ...common,
      stdin: { contents: BASELINE_SOURCE, resolveDir: repositoryRoot, loader: 'ts', sourcefile: 'baseline.ts' },
      outfile: join(dir, 'baseline.mjs'),
    });

    const bundles: Bundle[] = [];
    const add = (name: string, file: string, meta: Metafile) => {
      const key = relative(repositoryRoot, file);
      const output = meta.outputs[key];
      if (!output) throw new Error(`no metafile output for ${key}`);
      bundles.push({
        name,
        file,
        bytes: statSync(file).size,
        mapBytes: statSync(`${file}.map`).size,
        groups: groupBytes(output),
        inputs: Object.entries(output.inputs)
          .map(([f, i]): [string, number] => [f, i.bytesInOutput])
          .sort((a, b) => b[1] - a[1]),
        samples: [],
      });
    };
    add('BASELINE', join(dir, 'baseline.mjs'), baseline.metafile!);
    for (const name of Object.keys(entries)) add(name, join(dir, 'functions', `${name}.mjs`), functions.metafile!);
    const base = bundles[0]!;
    // An identical copy of BASELINE, measured like a function: its ratio is the noise floor.
    copyFileSync(base.file, join(dir, 'baseline-copy.mjs'));
    copyFileSync(`${base.file}.map`, join(dir, 'baseline-copy.mjs.map'));
    const copy: Bundle = { ...base, name: 'BASELINE copy', file: join(dir, 'baseline-copy.mjs'), samples: [] };

    const probe = join(dir, 'probe.mjs');
    writeFileSync(probe, probeSource);
    const pools = 'https://cognito-idp.ap-northeast-1.amazonaws.com/ap-northeast-1_';
    // What the CDK stack sets (dummy values: nothing is contacted at import).
    const env = {
      PATH: process.env.PATH ?? '',
      AWS_REGION: 'ap-northeast-1',
      TABLE_NAME: 'kanryu-bench-main',
      AUTH_LEARNER_ISSUER: `${pools}BENCHLRNR`,
      AUTH_LEARNER_AUDIENCE: 'benchlearnerclient0000000',
      AUTH_STAFF_ISSUER: `${pools}BENCHSTAF`,
      AUTH_STAFF_AUDIENCE: 'benchstaffclient000000000',
      KANRYU_SERVICE_KEYS_ARN: 'arn:aws:secretsmanager:ap-northeast-1:000000000000:secret:bench',
      POWERTOOLS_SERVICE_NAME: 'kanryu',
      NATIONAL_ROUND_STATE_MACHINE_ARN: 'arn:aws:states:ap-northeast-1:000000000000:stateMachine:bench',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    };
    const random = mulberry32(20260401);
    const started = Date.now();
    type Job = { bundle: Bundle; maps: boolean };
    const measured = [...bundles, copy];
    for (let round = 0; round < ROUNDS; round++) {
      const jobs: Job[] = [];
      // Every round: each bundle as the stack runs it (the budget figure) and the other way (context).
      for (const maps of [true, false]) {
        for (const bundle of measured) jobs.push({ bundle, maps });
        for (let i = 1; i < BASELINE_PER_ROUND; i++) jobs.push({ bundle: base, maps });
      }
      for (const { bundle, maps } of shuffle(jobs, random)) {
        const result = spawnSync(process.execPath, [probe, pathToFileURL(bundle.file).href], {
          env: { ...env, NODE_OPTIONS: maps ? '--enable-source-maps' : '' },
          encoding: 'utf8',
          timeout: 30_000,
        });
        try {
          const sample = JSON.parse(result.stdout) as { importMs: number; readyMs: number; handler: string };
          bundle.samples.push({ round, maps, importMs: sample.importMs, readyMs: sample.readyMs });
          if (sample.handler !== 'function') bundle.failure = `exports no handler function (${sample.handler})`;
        } catch {
          bundle.failure = (result.stderr || `exit ${result.status}`).split('\n').find((l) => l.trim()) ?? 'failed';
        }
      }
      progress(`cold start round ${round + 1}/${ROUNDS} (${((Date.now() - started) / 1000).toFixed(0)} s)`);
    }

    // Each sample is divided by the median of BASELINE's samples of the same round and
    // variant (load drifts between rounds on a shared machine), then the median is taken.
    const baseOf = new Map<string, { importMs: number; readyMs: number }>();
    for (let round = 0; round < ROUNDS; round++) {
      for (const maps of [true, false]) {
        const own = base.samples.filter((x) => x.round === round && x.maps === maps);
        if (own.length) baseOf.set(`${round}|${maps}`, { importMs: median(own.map((x) => x.importMs)), readyMs: median(own.map((x) => x.readyMs)) });
      }
    }
    const ratioOf = (b: Bundle, maps: boolean, field: 'importMs' | 'readyMs') =>
      median(b.samples.filter((x) => x.maps === maps).map((x) => x[field] / baseOf.get(`${x.round}|${maps}`)![field]));
    const countOf = (b: Bundle, maps: boolean) => b.samples.filter((x) => x.maps === maps).length;
    const within = (r: number) => Math.round(r * 100) / 100 <= BUDGET;
    const fns = bundles.slice(1).map((b) => ({
      ...b,
      importRatio: ratioOf(b, stackMaps, 'importMs'),
      readyRatio: ratioOf(b, stackMaps, 'readyMs'),
      otherRatio: ratioOf(b, otherMaps, 'importMs'),
    }));
    const noise = { importRatio: ratioOf(copy, stackMaps, 'importMs'), otherRatio: ratioOf(copy, otherMaps, 'importMs') };
    const byRatio = [...fns].sort((a, b) => b.importRatio - a.importRatio);
    const over = fns.filter((b) => !within(b.importRatio));
    const failed = fns.filter((b) => b.failure);

    section.method.push(
      `Every entry under functions/ (${fns.length}, none excluded) bundled by esbuild ${(await import('esbuild')).version} with the options of infra/constructs/kanryu-function.ts: format esm, bundle, minify, sourcemap without sourcesContent, platform node, mainFields module,main, no externals, the same banner. CDK targets ${cdkTarget} (Lambda runs Node 24); the runnable copies here use target node20 because this machine runs Node ${process.versions.node}.`,
      `BASELINE is a bundle of only \`DynamoDBDocumentClient.from(new DynamoDBClient({}))\`, built the same way.`,
      `Import time: a fresh \`node\` process per sample runs \`await import(bundle)\` and reports performance.now() around it. ${ROUNDS} rounds; in each, every bundle once ${stackVariant} (NODE_OPTIONS in infra/constructs/kanryu-function.ts: ${nodeOptions ? `\`${nodeOptions}\`` : 'none'}; the budget figure) and once ${otherVariant} (context), BASELINE ${BASELINE_PER_ROUND}× each way, all in one shuffled order. Each sample is divided by the median of BASELINE in the same round and variant (the load on this shared machine drifts between rounds); the figure is the median of those ratios. An identical copy of BASELINE is measured like a function to show the noise floor. Environment: dummy TABLE_NAME, AWS_REGION, the two pools' AUTH_* issuers and audiences, KANRYU_SERVICE_KEYS_ARN (nothing is fetched at import).`,
    );
    section.figure('Functions within 1.3× BASELINE import time', `${fns.length - over.length} of ${fns.length}`, { text: 'all', within: over.length === 0 });
    section.figure('Worst function import time', `${ratio(byRatio[0]!.importRatio)} (${byRatio[0]!.name})`, {
      text: '≤ 1.30×',
      within: within(byRatio[0]!.importRatio),
    });
    section.figure('Median function import time', ratio(median(fns.map((b) => b.importRatio))), {
      text: '≤ 1.30×',
      within: within(median(fns.map((b) => b.importRatio))),
    });
    section.figure(
      'Noise floor: an identical copy of BASELINE, measured like a function',
      `${ratio(noise.importRatio)} (${otherVariant}: ${ratio(noise.otherRatio)})`,
    );
    section.figure('Process start → handler ready, worst (context: includes node boot)', ratio(Math.max(...fns.map((b) => b.readyRatio))));
    const worstOther = [...fns].sort((a, b) => b.otherRatio - a.otherRatio)[0]!;
    section.figure(
      `${otherMaps ? 'With' : 'Without'} --enable-source-maps (context): functions within 1.3×, worst`,
      `${fns.filter((b) => within(b.otherRatio)).length} of ${fns.length}; worst ${ratio(worstOther.otherRatio)} (${worstOther.name}); median ${ratio(median(fns.map((b) => b.otherRatio)))}`,
    );
    const absolute = (b: Bundle, maps: boolean) => median(b.samples.filter((x) => x.maps === maps).map((x) => x.importMs));
    section.figure(
      'What --enable-source-maps adds to an import (maps ÷ no maps): functions (median) / BASELINE',
      `${ratio(median(fns.map((b) => absolute(b, true) / absolute(b, false))))} / ${ratio(absolute(base, true) / absolute(base, false))}`,
    );
    section.figure('BASELINE bundle size', `${kib(base.bytes)} (${count(base.bytes)} bytes)`);
    const largest = [...fns].sort((a, b) => b.bytes - a.bytes);
    section.figure('Largest function bundle', `${kib(largest[0]!.bytes)} (${largest[0]!.name}), ${ratio(largest[0]!.bytes / base.bytes)} BASELINE bytes`);
    if (failed.length)
      section.figure('Bundles that failed to import', failed.map((b) => `${b.name}: ${b.failure}`).join('; '), { text: 'none', within: false });

    section.table(
      `Every bundle: size and import time relative to BASELINE (median over processes of sample ÷ same-round BASELINE median); samples as the stack runs them + ${otherVariant}`,
      ['bundle', 'size', 'source map', 'size ÷ BASELINE', 'import ÷ BASELINE', 'ready ÷ BASELINE', `import ÷ BASELINE, ${otherVariant}`, 'samples', 'verdict'],
      [
        ...[base, copy].map((b) => [
          `**${b.name}**`,
          kib(b.bytes),
          kib(b.mapBytes),
          ratio(b.bytes / base.bytes),
          ratio(ratioOf(b, stackMaps, 'importMs')),
          ratio(ratioOf(b, stackMaps, 'readyMs')),
          ratio(ratioOf(b, otherMaps, 'importMs')),
          `${countOf(b, stackMaps)} + ${countOf(b, otherMaps)}`,
          '',
        ]),
        ...byRatio.map((b) => [
          b.name,
          kib(b.bytes),
          kib(b.mapBytes),
          ratio(b.bytes / base.bytes),
          ratio(b.importRatio),
          ratio(b.readyRatio),
          ratio(b.otherRatio),
          `${countOf(b, stackMaps)} + ${countOf(b, otherMaps)}`,
          b.failure ? 'failed' : within(b.importRatio) ? 'pass' : 'over',
        ]),
      ],
    );

    // Which modules dominate the largest bundles, and what they add over BASELINE.
    for (const b of largest.slice(0, 3)) {
      const rows = [...b.groups.entries()]
        .sort((x, y) => y[1] - x[1])
        .slice(0, 8)
        .map(([group, bytes]) => [group, kib(bytes), `${((bytes / b.bytes) * 100).toFixed(1)} %`, kib(Math.max(0, bytes - (base.groups.get(group) ?? 0)))]);
      section.table(
        `Top inputs of ${b.name} (${kib(b.bytes)}), by bytes in the output (esbuild metafile)`,
        ['module', 'bytes in bundle', 'share', 'more than BASELINE'],
        rows,
      );
    }

    const top = largest[0]!;
    section.table(
      `The 12 largest input files of ${top.name} (esbuild metafile, bytes in the output)`,
      ['input file', 'bytes in bundle', 'share'],
      top.inputs.slice(0, 12).map(([file, bytes]) => [file.replace(/^node_modules\//, ''), kib(bytes), `${((bytes / top.bytes) * 100).toFixed(1)} %`]),
    );

    if (over.length > 0) {
      const extra = new Map<string, number>();
      for (const b of over) for (const [g, bytes] of b.groups) extra.set(g, (extra.get(g) ?? 0) + Math.max(0, bytes - (base.groups.get(g) ?? 0)) / over.length);
      const topExtra = [...extra.entries()].sort((a, b) => b[1] - a[1]).slice(0, 6);
      const addedBytes = median(over.map((b) => b.bytes - base.bytes));
      const sizeCorrelation = correlation(
        fns.map((b) => b.bytes),
        fns.map((b) => b.importRatio),
      );
      const overMap = median(over.map((b) => b.mapBytes));
      const withoutSdk = fns.filter((b) => !b.groups.has('@aws-sdk/client-dynamodb'));
      section.over.push({
        figure: `Import time of ${over.length} of ${fns.length} functions > 1.3× BASELINE (worst ${ratio(byRatio[0]!.importRatio)}, ${byRatio[0]!.name}; median of all functions ${ratio(median(fns.map((b) => b.importRatio)))})`,
        why:
          `The functions over budget are the route handlers and jobs that carry the HTTP edge and domain code on top of the SDK: a median ${kib(addedBytes)} more than BASELINE's ${kib(base.bytes)} (${ratio(1 + addedBytes / base.bytes)} its bytes). On average the added code is ` +
          topExtra.map(([g, bytes]) => `${g} ${kib(bytes)}`).join(', ') +
          `. Import time follows bundle size (correlation of size with import ratio across functions: ${sizeCorrelation.toFixed(2)}); ${withoutSdk.length ? `the functions without the SDK (${withoutSdk.map((b) => b.name).join(', ')}) import in ${withoutSdk.map((b) => ratio(b.importRatio)).join(', ')} of BASELINE's time: ` : ''}the SDK is the floor, the edge is what goes over. ${
            stackMaps
              ? `Source maps add to it: with --enable-source-maps, Node ${process.versions.node} reads and parses each bundle's map at import (${kib(overMap)} for these functions, ${kib(base.mapBytes)} for BASELINE); without source maps ${fns.filter((b) => within(b.otherRatio)).length} of ${fns.length} functions are within budget (median ${ratio(median(fns.map((b) => b.otherRatio)))}), so the maps explain part of the excess, the added code the rest.`
              : `Source maps are not parsed at import (the stack does not set --enable-source-maps), so the excess is the added code.`
          }`,
        plan: coldStartPlan(
          topExtra.map(([g]) => g),
          stackMaps,
          // Routes that never touch the table, yet whose bundle carries the DynamoDB client.
          fns.filter((b) => routeList.some((r) => r.handler === b.name && r.data === 'none') && b.groups.has('@aws-sdk/client-dynamodb')).map((b) => b.name),
        ),
      });
    }
    section.notes.push(
      `Sizes are of the node20 copies; node24 output differs by at most a few bytes of syntax lowering. Source maps are external .map files (as CDK writes them); on Node 20 --enable-source-maps reads and parses the map at import, which the "${otherVariant}" column ${stackMaps ? 'isolates' : 'shows for context'}. Whether Lambda's Node 24 does the same is not measured here.`,
      'Only ratios are reported: absolute milliseconds on this shared 2-core machine are not comparable between runs, let alone with Lambda (arm64, Node 24).',
    );
    return section.finish();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function correlation(xs: number[], ys: number[]): number {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i]! - mx) * (ys[i]! - my);
    sxx += (xs[i]! - mx) ** 2;
    syy += (ys[i]! - my) ** 2;
  }
  return sxx && syy ? sxy / Math.sqrt(sxx * syy) : 0;
}

/** Route handlers (all but openapi, which documents every route) that import the whole route table. */
function handlersImportingRouteTable(): string[] {
  const root = join(repositoryRoot, 'functions');
  return (readdirSync(root, { recursive: true }) as string[])
    .filter((file) => file.endsWith('.ts') && file !== 'openapi.ts')
    .filter((file) => /from '(\.\.\/)+shared\/http\/routes'/.test(readFileSync(join(root, file), 'utf8')))
    .map((file) => file.replace(/\.ts$/, ''));
}

function coldStartPlan(groups: string[], stackMaps: boolean, tablelessWithSdk: string[]): string {
  const steps: string[] = [];
  if (tablelessWithSdk.length > 0)
    steps.push(
      `keep the DynamoDB and Secrets Manager clients out of functions that never use them: the edge (shared/http/handler.ts) imports the idempotency store and cursor sealing for every route, so ${tablelessWithSdk.join(', ')} (data: none) carry and evaluate the whole SDK; load them only for routes that declare \`idempotent\` or answer with a cursor`,
    );
  if (stackMaps)
    steps.push(
      // sourcesContent: false is already in the construct (it took this figure from 8 to 16 of 44 within budget).
      'keep NODE_OPTIONS free of --enable-source-maps and map stack traces offline (the maps no longer carry sources, but Node still parses them at import); the "no source maps" column shows the most this step can give',
    );
  if (groups.some((g) => g.startsWith('@aws-lambda-powertools')))
    steps.push(
      'replace @aws-lambda-powertools/logger (16 KiB) with a few lines of JSON logging on console: the handlers use only info/error with appended keys',
    );
  if (groups.some((g) => g === 'aws-jwt-verify'))
    steps.push(
      'load aws-jwt-verify (16 KiB) only in functions of routes that take a token, and lazily on the first request that carries one (public routes never need it)',
    );
  if (groups.some((g) => g.startsWith('zod') || g === 'shared/schemas' || g === 'shared/http')) {
    steps.push(
      handlersImportingRouteTable().length > 0
        ? `stop every handler from importing shared/http/routes.ts, which builds the zod schemas of every route at import (${handlersImportingRouteTable().join(', ')} still do): give each route its spec in a module of its own (routes.ts re-exports them for CDK, OpenAPI and the local host), so a function evaluates only its own schemas`
        : "zod and the schemas: each function already imports only its own route module (shared/http/routes/<handler>.ts), but that module imports whole shared/schemas/<area>.ts files and every schema in them is built at import; split those files per route, or build a route's schemas on its first request",
    );
  }
  steps.push(
    'then re-run `npx tsx bench/run.ts cold-start`; on this evidence the target is the edge adding ≲ 100 KiB over BASELINE with maps that Node does not parse at import',
  );
  return `${steps.map((s, i) => `(${i + 1}) ${s}`).join('; ')}.`;
}
