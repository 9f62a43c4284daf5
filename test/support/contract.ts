import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import * as z from 'zod/mini';
import { buildOpenApi } from '../../shared/http/openapi';
import { binaryMediaTypes } from '../../shared/http/media-types';
import { routeList } from '../../shared/http/routes';
import { problem } from '../../shared/schemas/common';

/**
 * Every answer the tests receive is checked against the OpenAPI document the API serves
 * (issue 13): its status must be declared for the operation, its media type declared for
 * that status, and a JSON body must validate against the declared schema. So a route that
 * sends what the document does not say fails its tests, whatever the test asserts.
 */

interface MediaTypeObject {
  schema?: unknown;
}
interface HeaderObject {
  required?: boolean;
}
interface ResponseObject {
  content?: Record<string, MediaTypeObject>;
  headers?: Record<string, HeaderObject>;
}
interface Operation {
  responses: Record<string, ResponseObject>;
}
interface Document {
  paths: Record<string, Record<string, Operation>>;
  /** The router's own answers (404 no route, 405 method not served), where the document lists them. */
  'x-gateway-responses'?: Record<string, ResponseObject>;
}

export interface CheckedResponse {
  status: number;
  headers: Record<string, string>;
  text: string;
  /** The body's bytes, where they are not UTF-8 text (an XLSX workbook). */
  bytes?: Buffer;
}

interface Compiled {
  document: Document;
  ajv: Ajv2020;
  paths: { template: string; pattern: RegExp; literals: number }[];
  validators: Map<string, ValidateFunction>;
}

// Compiled once per test process: vitest evaluates this module again for every test file,
// so the compiled validators live on globalThis, reused while the document is the same.
const processCache = globalThis as { kanryuResponseContract?: { text: string; compiled: Compiled } };
let compiled: Compiled | undefined;

function contract(): Compiled {
  if (compiled) return compiled;
  const text = JSON.stringify(buildOpenApi(routeList, { version: 'test' }));
  if (processCache.kanryuResponseContract?.text === text) return (compiled = processCache.kanryuResponseContract.compiled);
  const document = JSON.parse(text) as Document;
  // strict: false because OpenAPI 3.1 schemas carry annotations ajv does not know (example, x-…).
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
  addFormats.default(ajv);
  ajv.addSchema(document as object, 'openapi.json');
  const paths = Object.keys(document.paths)
    .map((template) => ({
      template,
      pattern: new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{\w+\\?\}/g, '[^/]+')}$`),
      literals: template.split('/').filter((segment) => segment && !segment.startsWith('{')).length,
    }))
    // As API Gateway: the path with more literal segments wins (/v1/completions/import over /v1/completions/{id}).
    .sort((a, b) => b.literals - a.literals);
  compiled = { document, ajv, paths, validators: new Map() };
  processCache.kanryuResponseContract = { text, compiled };
  return compiled;
}

const pointer = (...parts: string[]) => parts.map((part) => part.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

// The gateway's answers belong to no operation: checked against x-gateway-responses, or the problem schema itself.
const GATEWAY_PROBLEM = 'problem of the gateway';

function validatorFor(ref: string): ValidateFunction {
  const { ajv, validators } = contract();
  let validate = validators.get(ref);
  if (!validate) {
    validate =
      ref === GATEWAY_PROBLEM ? ajv.compile(z.toJSONSchema(problem, { io: 'output', target: 'draft-2020-12' })) : ajv.compile({ $ref: `openapi.json#/${ref}` });
    validators.set(ref, validate);
  }
  return validate;
}

const describeErrors = (errors: readonly ErrorObject[] | null | undefined) =>
  (errors ?? [])
    .slice(0, 5)
    .map((e) => `${e.instancePath || '/'} ${e.message}${e.params && Object.keys(e.params).length ? ` ${JSON.stringify(e.params)}` : ''}`)
    .join('; ');

const isJson = (mediaType: string) => mediaType === 'application/json' || mediaType.endsWith('+json');

/** The headers the document marks required for this answer that it lacks (names are case-insensitive). */
function missingHeaders(where: string, response: CheckedResponse, declared: ResponseObject | undefined): string | undefined {
  const sent = new Set(Object.keys(response.headers).map((name) => name.toLowerCase()));
  const missing = Object.entries(declared?.headers ?? {})
    .filter(([name, header]) => header.required && !sent.has(name.toLowerCase()))
    .map(([name]) => name);
  return missing.length
    ? `${where}: the document requires the header ${missing.join(', ')}, which the answer lacks (sent: ${[...sent].join(', ')})`
    : undefined;
}

/**
 * A CSV body (RFC 4180): not empty, a first row that names columns, every quoted field
 * closed, no quote inside an unquoted field. Column counts may differ: a file can hold
 * several tables under their own header rows.
 */
function csvFault(text: string): string | undefined {
  const body = text.replace(/^\uFEFF/, '');
  if (!body.trim()) return 'the CSV is empty';
  const firstRow = body.split(/\r?\n/, 1)[0]!;
  if (!firstRow.split(',').some((cell) => cell.replace(/"/g, '').trim())) return 'the CSV has no header row';
  let quoted = false;
  let fieldStart = true;
  for (let i = 0; i < body.length; i++) {
    const char = body[i]!;
    if (quoted) {
      if (char !== '"') continue;
      if (body[i + 1] === '"') i++;
      else {
        quoted = false;
        const next = body[i + 1];
        if (next !== undefined && next !== ',' && next !== '\n' && next !== '\r') return `text after a closing quote at character ${i + 1}`;
      }
      continue;
    }
    if (char === '"' && !fieldStart) return `a quote inside an unquoted field at character ${i}`;
    if (char === '"') quoted = true;
    fieldStart = char === ',' || char === '\n' || char === '\r';
  }
  return quoted ? 'a quoted field is never closed' : undefined;
}

const ZIP_SIGNATURE = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

/** What is wrong with a body that is not JSON, as far as its media type can say cheaply. */
function nonJsonFault(mediaType: string, response: CheckedResponse): string | undefined {
  if (mediaType === 'text/csv') return csvFault(response.text);
  // An OOXML workbook is a zip archive: the bytes, not text that went through UTF-8.
  if (binaryMediaTypes.has(mediaType)) {
    const bytes = response.bytes ?? Buffer.from(response.text, 'utf8');
    return bytes.subarray(0, 4).equals(ZIP_SIGNATURE) ? undefined : `the ${mediaType} body does not start with the zip signature PK\\x03\\x04`;
  }
  return undefined;
}

/** The problem schema of the document, for answers no operation gives (no route, method not served). */
function checkGatewayProblem(where: string, response: CheckedResponse): string | undefined {
  const mediaType = (response.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (mediaType !== 'application/problem+json')
    return `${where}: no operation answers this, and the answer is not problem+json (${mediaType || 'no content-type'})`;
  const declared = contract().document['x-gateway-responses']?.[String(response.status)];
  const missing = missingHeaders(where, response, declared);
  if (missing) return missing;
  return checkBody(where, response, declared ? pointer('x-gateway-responses', String(response.status), 'content', mediaType, 'schema') : GATEWAY_PROBLEM);
}

function checkBody(where: string, response: CheckedResponse, ref: string): string | undefined {
  let body: unknown;
  try {
    body = JSON.parse(response.text);
  } catch {
    return `${where}: the body is not JSON: ${response.text.slice(0, 120)}`;
  }
  const validate = validatorFor(ref);
  if (validate(body)) return undefined;
  return `${where}: the body does not match the declared schema (${ref}): ${describeErrors(validate.errors)}\n  body: ${response.text.slice(0, 400)}`;
}

/** What is wrong with this answer according to the document, or undefined when nothing is. */
export function contractViolation(method: string, url: string, response: CheckedResponse): string | undefined {
  const { document, paths } = contract();
  const verb = method.toLowerCase();
  // As the router (infra/local/invoke.ts): a path with a dot segment is matched as written, not resolved.
  const rawPath = url.replace(/^[a-z]+:\/\/[^/]*/i, '').split(/[?#]/)[0]!;
  const dotSegment = rawPath.split('/').some((segment) => /^(?:\.|%2e){1,2}$/i.test(segment));
  const pathname = dotSegment ? rawPath : new URL(url, 'http://localhost').pathname;
  const where = `${method.toUpperCase()} ${pathname} -> ${response.status}`;
  const path = paths.find((p) => p.pattern.test(pathname));
  // Gateway answers: no route (404), a method not served on a path (405), an unparseable path (400).
  if (!path) return response.status === 404 || response.status === 400 ? checkGatewayProblem(where, response) : `${where}: no path of the document matches`;
  const operation = document.paths[path.template]![verb];
  if (!operation) {
    // A CORS preflight answers with headers only.
    if (verb === 'options' && response.status < 300) return response.text ? `${where}: an OPTIONS answer carries no body` : undefined;
    return response.status === 405 ? checkGatewayProblem(where, response) : `${where}: the document has no ${method.toUpperCase()} ${path.template}`;
  }
  const declared = operation.responses[String(response.status)] ?? operation.responses.default;
  const operationName = `${method.toUpperCase()} ${path.template}`;
  if (!declared) {
    return `${where}: status ${response.status} is not declared for ${operationName} (declared: ${Object.keys(operation.responses).join(', ')})\n  body: ${response.text.slice(0, 300)}`;
  }
  const missing = missingHeaders(where, response, declared);
  if (missing) return missing;
  if (verb === 'head') return response.text ? `${where}: a HEAD answer carries no body` : undefined;
  const content = declared.content ?? {};
  if (!response.text) {
    // An empty body is only right where the document declares none.
    return Object.keys(content).length
      ? `${where}: no body, but ${operationName} declares ${Object.keys(content).join(', ')} for ${response.status}`
      : undefined;
  }
  const mediaType = (response.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  const mediaTypeObject = content[mediaType];
  if (!mediaTypeObject) {
    return `${where}: media type ${mediaType || '(none)'} is not declared for ${response.status} of ${operationName} (declared: ${Object.keys(content).join(', ') || 'no body'})`;
  }
  if (!isJson(mediaType)) {
    const fault = nonJsonFault(mediaType, response);
    return fault && `${where}: ${fault}`;
  }
  if (!mediaTypeObject.schema) return `${where}: ${mediaType} of ${operationName} declares no schema`;
  const ref = pointer(
    'paths',
    path.template,
    verb,
    'responses',
    String(response.status) in operation.responses ? String(response.status) : 'default',
    'content',
    mediaType,
    'schema',
  );
  return checkBody(where, response, ref);
}
