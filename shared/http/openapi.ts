import * as z from 'zod/mini';
import { producedMediaTypes } from './middleware/negotiate';
import { problemTypes, problemTypeUri } from './problem';
import type { RouteSpec } from './route';

type JsonSchema = Record<string, unknown>;

function jsonSchema(schema: z.ZodMiniType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as JsonSchema;
  return rest;
}

function parameters(spec: RouteSpec) {
  const list: JsonSchema[] = [];
  for (const [where, schema] of [
    ['path', spec.params],
    ['query', spec.query],
  ] as const) {
    if (!schema) continue;
    const object = jsonSchema(schema, 'input') as { properties?: Record<string, JsonSchema>; required?: string[] };
    for (const [name, property] of Object.entries(object.properties ?? {})) {
      list.push({ name, in: where, required: where === 'path' || (object.required ?? []).includes(name), schema: property });
    }
  }
  if (spec.idempotent) {
    list.push({
      name: 'Idempotency-Key',
      in: 'header',
      required: false,
      description: 'A retry with the same key gets the first answer back and writes nothing new.',
      schema: { type: 'string', minLength: 8, maxLength: 128 },
    });
  }
  return list;
}

function requestBody(spec: RouteSpec) {
  if (!spec.body) return undefined;
  if ('csv' in spec.body) {
    return { required: true, description: spec.body.csv.description, content: { 'text/csv': { schema: { type: 'string' } } } };
  }
  return { required: true, content: { 'application/json': { schema: jsonSchema(spec.body.json, 'input') } } };
}

function responses(spec: RouteSpec) {
  const result: Record<string, JsonSchema> = {};
  for (const [status, response] of Object.entries(spec.responses)) {
    const isProblem = Number(status) >= 400;
    const mediaType = isProblem ? 'application/problem+json' : 'application/json';
    const content: Record<string, JsonSchema> = {};
    if (response.schema) content[mediaType] = { schema: jsonSchema(response.schema, 'output') };
    else if (!isProblem && Number(status) !== 204) content[mediaType] = {};
    for (const [alternative, { description }] of Object.entries(response.alternatives ?? {})) {
      content[alternative] = { schema: { type: 'string', description } };
    }
    result[status] = { description: response.description, ...(Object.keys(content).length ? { content } : {}) };
  }
  // Every route negotiates Accept at the edge (./middleware/negotiate.ts).
  result['406'] ??= {
    description: `The Accept header allows none of ${producedMediaTypes(spec).join(', ')}`,
    content: { 'application/problem+json': {} },
  };
  return result;
}

/** HEAD of a GET route: its parameters, access and statuses, without bodies. */
function headOperation(get: Record<string, unknown>) {
  const statuses = Object.entries(get.responses as Record<string, { description: string }>);
  return {
    ...get,
    operationId: `${get.operationId}Head`,
    summary: `Headers of: ${get.summary}`,
    responses: Object.fromEntries(statuses.map(([status, { description }]) => [status, { description }])),
  };
}

/** The OpenAPI 3.1 document, generated from the route table and its zod schemas. */
export function buildOpenApi(routes: readonly (RouteSpec & { id: string })[], info: { version: string }) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const spec of routes) {
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
      tags: [spec.tag],
      security,
      'x-kanryu-access': spec.access.kind === 'roles' ? spec.access.roles : spec.access.kind,
      parameters: parameters(spec),
      requestBody: requestBody(spec),
      responses: responses(spec),
    };
    paths[spec.path] ??= {};
    paths[spec.path]![spec.method.toLowerCase()] = JSON.parse(JSON.stringify(operation));
    if (spec.method === 'GET') paths[spec.path]!.head = headOperation(paths[spec.path]!.get as Record<string, unknown>);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'kanryu',
      version: info.version,
      description:
        'Skills matching for regional digital talent: Digital Skill Standards (DSS-L, DSS-P) catalog, learners, completions, progress toward 2.3 million, and prefectural matching. Errors are RFC 9457 problem+json; the `type` URIs are listed in x-problem-types.',
    },
    servers: [{ url: '/' }],
    paths,
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'A Cognito ID token (AWS) or a local development token (npm run token).' },
        lrsClient: {
          type: 'http',
          scheme: 'basic',
          description: "An xAPI client's key and secret, issued to a training provider (POST /v1/xapi/credentials).",
        },
      },
    },
    'x-problem-types': Object.fromEntries(
      Object.entries(problemTypes).map(([type, { status, title }]) => [problemTypeUri(type as keyof typeof problemTypes), { status, title }]),
    ),
  };
}
