import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type * as z from 'zod/mini';
import type { FieldError } from '../../errors';
import '../../zod-messages';
import type { CursorStage } from '../edge';
import { findDuplicateKeys } from '../json-keys';
import { HttpProblem } from '../problem';
import { DEFAULT_MAX_BODY_BYTES, type RouteSpec } from '../route';
import { edgeState } from './state';

export type { FieldError } from '../../errors';

function fieldPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((text, key) => (typeof key === 'number' ? `${text}[${key}]` : text ? `${text}.${String(key)}` : String(key)), '');
}

function check(schema: z.ZodMiniType | undefined, value: unknown, where: FieldError['in'], errors: FieldError[]) {
  if (!schema) return undefined;
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  for (const issue of result.error.issues) {
    errors.push({ in: where, field: fieldPath(issue.path), message: issue.message });
  }
  return undefined;
}

export function rejectFields(errors: FieldError[]): never {
  const summary = errors
    .slice(0, 3)
    .map((e) => `${e.in}${e.field ? ` ${e.field}` : ''}: ${e.message}`)
    .join('; ');
  throw new HttpProblem('validation-failed', `${summary}${errors.length > 3 ? ` (and ${errors.length - 3} more)` : ''}`, { errors });
}

/** The raw request body as bytes, whatever API Gateway did to it. */
export function bodyBytes(event: APIGatewayProxyEventV2): Buffer {
  if (event.body === undefined || event.body === null) return Buffer.alloc(0);
  return event.isBase64Encoded ? Buffer.from(event.body, 'base64') : Buffer.from(event.body, 'utf8');
}

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{8,128}$/;

/**
 * Parses path, query and body against the route's schemas. Unknown body fields are
 * refused (the schemas are strict objects); the body size is checked before any parsing.
 */
export function parseRequest(spec: RouteSpec, openCursor: CursorStage['open']): MiddlewareObj<APIGatewayProxyEventV2> {
  const maxBytes = spec.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  return {
    before: async (request) => {
      const { event } = request;
      const state = edgeState(event);
      const errors: FieldError[] = [];
      state.params = check(spec.params, event.pathParameters ?? {}, 'path', errors);
      state.query = check(spec.query, event.queryStringParameters ?? {}, 'query', errors);

      const bytes = bodyBytes(event);
      if (bytes.length > maxBytes) {
        throw new HttpProblem('payload-too-large', `The body is ${bytes.length} bytes; this route takes at most ${maxBytes}.`, { maxBytes });
      }
      const mediaType = (event.headers?.['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
      if (!spec.body) {
        if (bytes.length > 0) throw new HttpProblem('unsupported-media-type', 'This route takes no request body.');
      } else if ('csv' in spec.body) {
        if (mediaType !== 'text/csv') {
          throw new HttpProblem('unsupported-media-type', 'Send the file as Content-Type: text/csv (UTF-8 or Shift_JIS; a charset parameter says which).');
        }
        state.body = bytes;
      } else {
        if (mediaType !== 'application/json' && !mediaType.endsWith('+json')) {
          throw new HttpProblem('unsupported-media-type', 'Send a JSON body with Content-Type: application/json.');
        }
        let text = '';
        let json: unknown;
        try {
          text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
          json = JSON.parse(text);
        } catch {
          throw new HttpProblem('malformed-body', 'The body is not valid UTF-8 JSON.');
        }
        // JSON.parse keeps the last of repeated keys; another reader may take the first.
        const duplicates = findDuplicateKeys(text);
        for (const { key, path } of duplicates) errors.push({ in: 'body', field: fieldPath(path), message: `duplicate key ${JSON.stringify(key)}` });
        if (duplicates.length === 0) state.body = check(spec.body.json, json, 'body', errors);
      }

      // Routes that are idempotent by nature ignore the header rather than refuse it.
      const idempotencyKey = spec.idempotent ? event.headers?.['idempotency-key'] : undefined;
      if (idempotencyKey !== undefined) {
        if (!IDEMPOTENCY_KEY.test(idempotencyKey)) {
          errors.push({ in: 'header', field: 'Idempotency-Key', message: 'use 8 to 128 visible ASCII characters, e.g. a UUID' });
        } else {
          state.idempotencyKey = idempotencyKey;
        }
      }
      if (errors.length > 0) rejectFields(errors);
      const query = state.query as { cursor?: string } | undefined;
      if (query?.cursor !== undefined) {
        query.cursor = await openCursor(query.cursor, { spec, actor: state.actor, params: state.params, query });
      }
    },
  };
}
