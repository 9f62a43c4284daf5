import type * as z from 'zod/mini';
import * as common from '../schemas/common';
import { binaryMediaTypes } from './media-types';
import { producedMediaTypes } from './middleware/negotiate';
import { operationExamples } from './openapi-examples';
import { type JsonSchema, SchemaCollector } from './openapi-schemas';
import { problemTypes, problemTypeUri } from './problem';
import { DEFAULT_MAX_BODY_BYTES, type RouteSpec } from './route';

type Spec = RouteSpec & { id: string };

const shapeOf = (schema: z.ZodMiniType | undefined): Record<string, z.ZodMiniType> => {
  if (!schema) return {};
  const shape = (schema._zod.def as { shape?: Record<string, z.ZodMiniType> }).shape;
  // Path and query schemas are objects: each member is one parameter.
  if (!shape) throw new Error('path and query schemas are zod objects (z.strictObject)');
  return shape;
};

const cursorQuery = (spec: RouteSpec) => 'cursor' in shapeOf(spec.query);

const tagDescriptions: Record<string, string> = {
  catalog: 'The Digital Skill Standards catalog (DSS-L, DSS-P): versions, roles and skill items.',
  completions: 'Course completions, one by one or as a CSV file, and the learner skills they count toward.',
  courses: 'Courses of training providers and their accreditation.',
  credentials: 'Open Badges 3.0 credentials: issued, received and verified.',
  identity: 'Who the caller is.',
  learners: 'Learner profiles, links to providers, and a learner’s own data (export, erasure).',
  matching: 'Prefectural and national matching rounds, their proposals and placements.',
  meta: 'The service itself: health and this document.',
  openings: 'Organisations and their openings.',
  progress: 'Progress toward 2.3 million digital talents, by prefecture and fiscal year.',
  skills: 'What a learner has shown they can do.',
  xapi: 'An xAPI learning record store for providers’ learning systems.',
};

const callers = (access: RouteSpec['access']) =>
  access.kind === 'roles'
    ? `Callers: a bearer token with the role ${access.roles.join(', ')}.`
    : access.kind === 'public-or-token'
      ? 'Callers: anyone; a bearer token, if sent, must be valid and may show more.'
      : access.kind === 'lrs-client'
        ? "Callers: a provider's xAPI client (HTTP Basic)."
        : 'Callers: anyone.';

/** `required`: sent with every answer of that status (the tests' contract check holds the server to it). */
const header = (description: string, schema: JsonSchema = { type: 'string' }, required = false) => ({ description, ...(required ? { required } : {}), schema });

/** The response headers the edge (./edge.ts, ./idempotency.ts, ./middleware/*) or the route's function sends with this status of this route. */
function responseHeaders(spec: RouteSpec, status: number) {
  const headers: Record<string, unknown> = {};
  const statuses = Object.keys(spec.responses).map(Number);
  // The edge tags every GET (and HEAD) 200, and a 304 keeps the tag it matched.
  if ((spec.method === 'GET' && status === 200) || status === 304) {
    headers.ETag = header(
      'A strong validator of this representation: send it back in If-None-Match to get 304 while it is unchanged.',
      { type: 'string' },
      true,
    );
  }
  const creation = spec.responses[201] ?? spec.responses[202];
  // A creation whose result nothing can read (a secret shown once) says why it has no Location instead.
  if (!creation?.withoutLocation && (status === 201 || status === 202 || (status === 200 && statuses.includes(201)))) {
    headers.Location = header(
      status === 202
        ? 'Where the work started here can be followed.'
        : status === 201
          ? 'The created resource.'
          : 'The resource that already existed (nothing was created).',
      { type: 'string', format: 'uri-reference' },
      true,
    );
  }
  if (spec.idempotent && status >= 200 && status < 300) {
    headers['Idempotent-Replayed'] = header('`true` when this is the stored answer to an earlier request with the same Idempotency-Key.', {
      type: 'string',
      enum: ['true'],
    });
  }
  // Negotiation (./middleware/negotiate.ts) says Vary: accept on every answer of a route with
  // several representations; a public cache's function (./public-cache.ts) on its 200, kept by a 304.
  const negotiated = producedMediaTypes(spec).length > 1;
  const vary = [...(negotiated ? ['Accept'] : []), ...(spec.publicCache?.vary ?? [])];
  if (vary.length && ((status >= 200 && status < 300) || status === 304 || status === 406)) {
    headers.Vary = header(
      `The answer depends on these request headers: ${[...new Set(vary.map((name) => name.toLowerCase()))].join(', ')}.`,
      { type: 'string' },
      negotiated || status === 200 || status === 304,
    );
  }
  if (spec.publicCache && status === 200) {
    headers['Cache-Control'] = header(
      `\`public, max-age=${spec.publicCache.maxAgeSeconds}\` for an anonymous caller (shared caches may keep it); \`private, no-store\` for a caller with a token.`,
      { type: 'string' },
      true,
    );
  }
  // Every 503 is service-busy (./problem.ts), which always says when to retry; a 429 is the gateway's throttling, which may not.
  if (status === 503 || status === 429)
    headers['Retry-After'] = header('Seconds to wait before retrying the same request.', { type: 'integer', minimum: 0 }, status === 503);
  for (const [name, { description, required }] of Object.entries(spec.responses[status]?.headers ?? {}))
    headers[name] = header(description, { type: 'string' }, required);
  return Object.keys(headers).length ? { headers } : {};
}

function parameters(spec: RouteSpec, schemas: SchemaCollector) {
  const list: JsonSchema[] = [];
  for (const [where, schema] of [
    ['path', spec.params],
    ['query', spec.query],
  ] as const) {
    for (const [name, member] of Object.entries(shapeOf(schema))) {
      // Output: a query member decoded from its string (a codec) is documented as the integer or boolean it is.
      const required = where === 'path' || member._zod.optin !== 'optional';
      list.push({ name, in: where, required, schema: schemas.use(member, 'output') });
    }
  }
  if (spec.idempotent) {
    list.push({
      name: 'Idempotency-Key',
      in: 'header',
      required: false,
      description: 'A retry with the same key gets the first answer back (with Idempotent-Replayed: true) and writes nothing new.',
      schema: { type: 'string', minLength: 8, maxLength: 128, pattern: '^[\\x21-\\x7e]+$' },
    });
  }
  return list;
}

function requestBody(spec: Spec, schemas: SchemaCollector) {
  if (!spec.body) return undefined;
  if ('csv' in spec.body) {
    return { required: true, description: spec.body.csv.description, content: { 'text/csv': { schema: { type: 'string' } } } };
  }
  const example = operationExamples[spec.id as keyof typeof operationExamples]?.request;
  return {
    required: true,
    content: { 'application/json': { schema: schemas.use(spec.body.json, 'input'), ...(example !== undefined ? { example } : {}) } },
  };
}

function responses(spec: Spec, schemas: SchemaCollector) {
  const result: Record<string, JsonSchema> = {};
  const examples: Record<number, unknown> = operationExamples[spec.id as keyof typeof operationExamples]?.responses ?? {};
  const problem = (description: string) => ({ description, content: { 'application/problem+json': { schema: schemas.use(common.problem, 'output') } } });
  for (const [status, response] of Object.entries(spec.responses)) {
    const isProblem = Number(status) >= 400;
    const mediaType = isProblem ? 'application/problem+json' : 'application/json';
    const content: Record<string, JsonSchema> = {};
    // Every problem answer has the one problem schema, declared or not by the route.
    const schema = response.schema ?? (isProblem ? common.problem : undefined);
    const example = examples[Number(status)];
    if (schema) content[mediaType] = { schema: schemas.use(schema, 'output'), ...(example !== undefined ? { example } : {}) };
    else if (Number(status) !== 204) content[mediaType] = {};
    for (const [alternative, { description, schema: alternativeSchema }] of Object.entries(response.alternatives ?? {})) {
      // Bytes (a workbook) are a string of that media type's content as far as JSON Schema goes (OpenAPI 3.1: contentMediaType,
      // no contentEncoding: the client receives the raw bytes, API Gateway decodes the Lambda's base64).
      const text = binaryMediaTypes.has(alternative) ? { type: 'string', contentMediaType: alternative, description } : { type: 'string', description };
      content[alternative] = { schema: alternativeSchema ? schemas.use(alternativeSchema, 'output', { description }) : text };
    }
    const description = response.withoutLocation ? `${response.description}. No Location: ${response.withoutLocation}` : response.description;
    result[status] = { description, ...(Object.keys(content).length ? { content } : {}) };
  }
  // What the edge (./edge.ts, ./middleware/*) answers for any route, beside what the
  // route declares: each where the route's declaration makes it possible.
  if (spec.method === 'GET' && result['200']) result['304'] ??= { description: 'Not modified: If-None-Match names the current ETag' };
  if (spec.params || spec.query || spec.body || spec.idempotent) result['400'] ??= problem('The request does not match the schema');
  if (spec.access.kind !== 'public') result['401'] ??= problem('No valid credentials');
  if (spec.access.kind === 'roles') result['403'] ??= problem('The caller may not do this');
  // Every route negotiates Accept at the edge (./middleware/negotiate.ts).
  result['406'] ??= problem(`The Accept header allows none of ${producedMediaTypes(spec).join(', ')}`);
  if (spec.idempotent) result['409'] ??= problem('A request with this Idempotency-Key is still being processed: retry shortly');
  result['413'] ??= problem(`The body is larger than ${spec.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES} bytes`);
  result['415'] ??= spec.body ? problem('The body is not of the media type this route takes') : problem('This route takes no body');
  if (spec.idempotent || cursorQuery(spec))
    result['422'] ??= problem('The Idempotency-Key was used for another request, or the cursor is not one this list issued');
  if (spec.data !== 'none') result['503'] ??= problem('The database is busy: retry after Retry-After seconds');
  for (const [status, response] of Object.entries(result)) Object.assign(response, responseHeaders(spec, Number(status)));
  return Object.fromEntries(Object.entries(result).sort(([a], [b]) => Number(a) - Number(b)));
}

/** HEAD of a GET route: its parameters, access, statuses and headers, without bodies. */
function headOperation(get: Record<string, unknown>) {
  const statuses = Object.entries(get.responses as Record<string, { description: string; headers?: unknown }>);
  return {
    ...get,
    operationId: `${get.operationId}Head`,
    summary: `Headers of: ${get.summary}`,
    description: `The headers ${get.operationId} would answer with, and no body.`,
    responses: Object.fromEntries(statuses.map(([status, { description, headers }]) => [status, { description, ...(headers ? { headers } : {}) }])),
  };
}

/** The OpenAPI 3.1 document, generated from the route table and its zod schemas. */
export function buildOpenApi(routes: readonly Spec[], info: { version: string }) {
  const schemas = new SchemaCollector();
  const operations = routes.map((spec) => {
    const security =
      spec.access.kind === 'roles'
        ? [{ bearer: [] }]
        : spec.access.kind === 'public-or-token'
          ? [{}, { bearer: [] }]
          : spec.access.kind === 'lrs-client'
            ? [{ lrsClient: [] }]
            : [];
    const operation = {
      operationId: spec.id,
      summary: spec.summary,
      description: `${spec.summary}. ${callers(spec.access)}`,
      tags: [spec.tag],
      security,
      'x-kanryu-access': spec.access.kind === 'roles' ? spec.access.roles : spec.access.kind,
      parameters: parameters(spec, schemas),
      requestBody: requestBody(spec, schemas),
      responses: responses(spec, schemas),
    };
    return { spec, operation };
  });
  const gatewayProblem = schemas.use(common.problem, 'output');
  const components = schemas.finish();
  const paths: Record<string, Record<string, unknown>> = {};
  for (const { spec, operation } of operations) {
    // A plain copy: the collector's slots are shared objects.
    const plain = JSON.parse(JSON.stringify(operation)) as Record<string, unknown>;
    paths[spec.path] ??= {};
    paths[spec.path]![spec.method.toLowerCase()] = plain;
    if (spec.method === 'GET') paths[spec.path]!.head = headOperation(plain);
  }
  const tags = [...new Set(routes.map((spec) => spec.tag))].sort().map((name) => ({ name, description: tagDescriptions[name] ?? name }));
  return {
    openapi: '3.1.0',
    info: {
      title: 'kanryu',
      version: info.version,
      description:
        'Skills matching for regional digital talent: Digital Skill Standards (DSS-L, DSS-P) catalog, learners, completions, progress toward 2.3 million, and prefectural matching. Errors are RFC 9457 problem+json; the `type` URIs are listed in x-problem-types. A path served with another method answers 405 with an `Allow` header, and a path no route serves answers 404 (both problem+json: x-gateway-responses).',
    },
    servers: [{ url: '/' }],
    tags,
    paths,
    components: {
      schemas: components,
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'A Cognito ID token (AWS) or a local development token (npm run token).' },
        lrsClient: {
          type: 'http',
          scheme: 'basic',
          description: "An xAPI client's key and secret, issued to a training provider (POST /v1/xapi/credentials).",
        },
      },
    },
    // Answers that belong to no operation: the router gives them before any route runs.
    'x-gateway-responses': JSON.parse(
      JSON.stringify({
        404: { description: 'No route serves this path', content: { 'application/problem+json': { schema: gatewayProblem } } },
        405: {
          description: 'The path is served, but not with this method',
          headers: { Allow: header('The methods this path is served with, e.g. `GET, HEAD`.', { type: 'string' }, true) },
          content: { 'application/problem+json': { schema: gatewayProblem } },
        },
      }),
    ),
    'x-problem-types': Object.fromEntries(
      Object.entries(problemTypes).map(([type, { status, title }]) => [problemTypeUri(type as keyof typeof problemTypes), { status, title }]),
    ),
  };
}
