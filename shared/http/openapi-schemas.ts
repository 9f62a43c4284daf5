import * as z from 'zod/mini';
import * as prefecture from '../ids/prefecture';
import * as catalog from '../schemas/catalog';
import * as common from '../schemas/common';
import * as completions from '../schemas/completions';
import * as courses from '../schemas/courses';
import * as credentials from '../schemas/credentials';
import * as fields from '../schemas/fields';
import * as imports from '../schemas/imports';
import * as learners from '../schemas/learners';
import * as matchCycles from '../schemas/match-cycles';
import * as matching from '../schemas/matching';
import * as openings from '../schemas/openings';
import * as personalData from '../schemas/personal-data';
import * as progress from '../schemas/progress';
import * as providerLinks from '../schemas/provider-links';
import * as rebuilds from '../schemas/rebuilds';
import * as rules from '../schemas/rules';
import * as trustedIssuers from '../schemas/trusted-issuers';
import * as xapi from '../schemas/xapi';

export type JsonSchema = Record<string, unknown>;
/** Requests are documented as what the client sends (input), answers as what the server sends (output). */
export type Io = 'input' | 'output';

const COMPONENTS = '#/components/schemas/';

/**
 * The modules whose exported schemas become named components: a schema a client meets in
 * several places gets one name (courseView -> Course, problem -> Problem), so generated
 * clients share one type. Names come from the export, so the zod schema stays the only
 * declaration; exports the document never uses are left out of it.
 */
export const namedModules: Record<string, Record<string, unknown>> = {
  prefecture,
  catalog,
  common,
  completions,
  courses,
  credentials,
  fields,
  imports,
  learners,
  matchCycles,
  matching,
  openings,
  personalData,
  progress,
  providerLinks,
  rebuilds,
  rules,
  trustedIssuers,
  xapi,
};

const pascal = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);
const isZod = (value: unknown): value is z.ZodMiniType => typeof value === 'object' && value !== null && '_zod' in value;

function componentNames(): Map<z.ZodMiniType, string> {
  const byName = new Map<string, { module: string; schema: z.ZodMiniType }[]>();
  const seen = new Set<unknown>();
  for (const [module, exports] of Object.entries(namedModules)) {
    for (const [name, value] of Object.entries(exports)) {
      if (!isZod(value) || seen.has(value)) continue;
      seen.add(value);
      // `courseView` is what a client knows as a Course.
      const base = pascal(name.replace(/View$/, ''));
      byName.set(base, [...(byName.get(base) ?? []), { module, schema: value }]);
    }
  }
  const names = new Map<z.ZodMiniType, string>();
  for (const [base, holders] of byName) {
    for (const { module, schema } of holders) names.set(schema, holders.length > 1 ? `${pascal(module)}${base}` : base);
  }
  return names;
}

/** Numeric codes (prefectures 01..47) in code order: zod keeps enum values as object keys, which puts "10" before "01". */
function codeOrder({ jsonSchema }: { jsonSchema: JsonSchema }) {
  const values = jsonSchema.enum;
  if (Array.isArray(values) && values.length > 1 && values.every((v) => typeof v === 'string' && /^\d+$/.test(v))) {
    (values as string[]).sort((a, b) => Number(a) - Number(b) || a.localeCompare(b));
  }
}

function mapRefs(value: unknown, rewrite: (ref: string) => unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => mapRefs(item, rewrite));
  if (typeof value !== 'object' || value === null) return value;
  const object = value as JsonSchema;
  if (typeof object.$ref === 'string') {
    const replaced = rewrite(object.$ref);
    if (replaced !== undefined) {
      const { $ref: _ref, ...siblings } = object;
      return Object.keys(siblings).length ? { ...(replaced as JsonSchema), ...(mapRefs(siblings, rewrite) as JsonSchema) } : replaced;
    }
  }
  return Object.fromEntries(Object.entries(object).map(([key, item]) => [key, mapRefs(item, rewrite)]));
}

function refsIn(value: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const item of value) refsIn(item, found);
  else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      if (key === '$ref' && typeof item === 'string' && item.startsWith(COMPONENTS)) found.add(item.slice(COMPONENTS.length));
      else refsIn(item, found);
    }
  }
  return found;
}

interface Slot {
  schema: z.ZodMiniType;
  io: Io;
  target: JsonSchema;
  annotations: JsonSchema;
}

/**
 * The collection step: every place of the document that holds a schema asks for it here
 * (`use`) and gets an object that `finish` fills in, after one zod conversion per
 * direction has turned every schema into JSON Schema, named ones into $refs to
 * components/schemas. A named schema that reads differently as input (defaults make a
 * member optional) gets a second component, `<Name>Input`.
 */
export class SchemaCollector {
  private readonly slots: Slot[] = [];
  private readonly names = componentNames();

  /** `annotations` (a description…) are added beside the schema, or its $ref. */
  use(schema: z.ZodMiniType, io: Io, annotations: JsonSchema = {}): JsonSchema {
    const target: JsonSchema = {};
    this.slots.push({ schema, io, target, annotations });
    return target;
  }

  /** Fills every slot; returns the components the slots reach. */
  finish(): Record<string, JsonSchema> {
    const output = this.convert('output');
    const input = this.convert('input');
    // Names whose input form differs, or reaches one that does.
    const differs = new Set([...this.names.values()].filter((name) => JSON.stringify(input.named[name]) !== JSON.stringify(output.named[name])));
    for (let grew = true; grew; ) {
      grew = false;
      for (const name of this.names.values()) {
        if (differs.has(name)) continue;
        if ([...refsIn(input.named[name])].some((ref) => differs.has(ref))) {
          differs.add(name);
          grew = true;
        }
      }
    }
    const inputRef = (ref: string) => {
      const name = ref.startsWith(COMPONENTS) ? ref.slice(COMPONENTS.length) : undefined;
      return name && differs.has(name) ? { $ref: `${COMPONENTS}${name}Input` } : undefined;
    };
    const components: Record<string, JsonSchema> = { ...output.named };
    for (const name of differs) if (input.named[name]) components[`${name}Input`] = mapRefs(input.named[name], inputRef) as JsonSchema;
    for (const slot of this.slots) {
      const converted = slot.io === 'output' ? output.slots.get(slot.schema) : mapRefs(input.slots.get(slot.schema), inputRef);
      Object.assign(slot.target, converted, slot.annotations);
    }
    // Only what the document reaches, so each component is used (redocly/spectral check that too).
    const reached = new Set<string>();
    const pending = this.slots.flatMap((slot) => [...refsIn(slot.target)]);
    while (pending.length) {
      const name = pending.pop()!;
      if (reached.has(name) || !components[name]) continue;
      reached.add(name);
      pending.push(...refsIn(components[name]));
    }
    // A request body nothing answers with keeps its plain name.
    const renamed = new Map([...differs].filter((name) => reached.has(`${name}Input`) && !reached.has(name)).map((name) => [`${name}Input`, name]));
    const rename = (ref: string) => {
      const name = renamed.get(ref.slice(COMPONENTS.length));
      return ref.startsWith(COMPONENTS) && name ? { $ref: `${COMPONENTS}${name}` } : undefined;
    };
    for (const slot of this.slots) {
      const target = mapRefs(slot.target, rename) as JsonSchema;
      for (const key of Object.keys(slot.target)) delete slot.target[key];
      Object.assign(slot.target, target);
    }
    return Object.fromEntries(
      [...reached].map((name) => [renamed.get(name) ?? name, mapRefs(components[name], rename) as JsonSchema] as const).sort(([a], [b]) => a.localeCompare(b)),
    );
  }

  private convert(io: Io) {
    const registry = z.registry<{ id: string }>();
    for (const [schema, name] of this.names) registry.add(schema, { id: name });
    const anonymous = new Map<z.ZodMiniType, string>();
    for (const slot of this.slots) {
      if (slot.io !== io || this.names.has(slot.schema) || anonymous.has(slot.schema)) continue;
      anonymous.set(slot.schema, `~${anonymous.size}`);
      registry.add(slot.schema, { id: `~${anonymous.size - 1}` });
    }
    const { schemas } = z.toJSONSchema(registry, {
      io,
      target: 'draft-2020-12',
      // A transform's output has no JSON Schema: it is documented as any value.
      unrepresentable: 'any',
      uri: (id) => `${COMPONENTS}${id}`,
      override: codeOrder,
    }) as { schemas: Record<string, JsonSchema> };
    const { __shared: shared, ...emitted } = schemas;
    const bodies = new Map<string, JsonSchema>();
    for (const [id, { $schema: _dialect, $id: _id, ...body }] of Object.entries(emitted)) bodies.set(id, body);
    // Cycles through unnamed schemas land in zod's shared $defs: they become components of their own.
    for (const [id, body] of Object.entries(((shared as JsonSchema | undefined)?.$defs as Record<string, JsonSchema>) ?? {})) bodies.set(id, body);
    // An unnamed schema another schema also uses is written in place (it is no component).
    const resolve = (ref: string): unknown => {
      const id = ref.replace(/^#\/components\/schemas\/__shared#\/\$defs\//, COMPONENTS).slice(COMPONENTS.length);
      if (id.startsWith('~')) return mapRefs(bodies.get(id), resolve);
      return ref.includes('__shared#') ? { $ref: `${COMPONENTS}${id}` } : undefined;
    };
    const named: Record<string, JsonSchema> = {};
    for (const [id, body] of bodies) if (!id.startsWith('~')) named[id] = mapRefs(body, resolve) as JsonSchema;
    const slots = new Map<z.ZodMiniType, JsonSchema>();
    for (const slot of this.slots) {
      if (slot.io !== io || slots.has(slot.schema)) continue;
      const name = this.names.get(slot.schema);
      slots.set(slot.schema, name ? { $ref: `${COMPONENTS}${name}` } : (mapRefs(bodies.get(anonymous.get(slot.schema)!), resolve) as JsonSchema));
    }
    return { named, slots };
  }
}
