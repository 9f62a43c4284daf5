import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { HttpProblem } from '../problem';
import type { RouteSpec } from '../route';
import { edgeState } from './state';

/**
 * The media types a route's successful answers come in, preferred first: JSON, then the
 * alternatives its responses declare (CSV, JSON-LD, a signed JWT…).
 */
export function producedMediaTypes(spec: Pick<RouteSpec, 'responses'>): string[] {
  const alternatives = Object.entries(spec.responses)
    .filter(([status]) => Number(status) >= 200 && Number(status) < 300)
    .flatMap(([, response]) => Object.keys(response.alternatives ?? {}));
  return [...new Set(['application/json', ...alternatives.map((type) => type.toLowerCase())])];
}

interface MediaRange {
  type: string;
  subtype: string;
  q: number;
}

function parseAccept(header: string): MediaRange[] {
  const ranges: MediaRange[] = [];
  for (const part of header.split(',')) {
    const [range, ...params] = part.split(';').map((piece) => piece.trim());
    const [type, subtype] = (range ?? '').toLowerCase().split('/');
    if (!type || !subtype) continue;
    let q = 1;
    for (const param of params) {
      const [name, value] = param.split('=').map((piece) => piece.trim());
      if (name?.toLowerCase() === 'q') q = /^(0(\.\d{0,3})?|1(\.0{0,3})?)$/.test(value ?? '') ? Number(value) : 1;
    }
    ranges.push({ type, subtype, q });
  }
  return ranges;
}

/**
 * RFC 9110 §12.5.1: each type takes the q of the most specific range that matches it;
 * the highest q wins, then the more specific match (a client naming text/csv beside a
 * wildcard wants the CSV), then the route's own preference. Undefined: nothing acceptable.
 */
export function negotiate(accept: string | undefined, produced: readonly string[]): string | undefined {
  const ranges = accept?.trim() ? parseAccept(accept) : [];
  if (ranges.length === 0) return produced[0];
  let best: { mediaType: string; q: number; specificity: number } | undefined;
  for (const mediaType of produced) {
    const [type, subtype] = mediaType.split('/');
    let match: { q: number; specificity: number } | undefined;
    for (const range of ranges) {
      const specificity = range.type === type && range.subtype === subtype ? 2 : range.type === type && range.subtype === '*' ? 1 : range.type === '*' ? 0 : -1;
      if (specificity >= 0 && (!match || specificity > match.specificity)) match = { q: range.q, specificity };
    }
    if (!match || match.q <= 0) continue;
    if (!best || match.q > best.q || (match.q === best.q && match.specificity > best.specificity)) best = { mediaType, ...match };
  }
  return best?.mediaType;
}

const mergeVary = (existing: string | undefined, name: string) => {
  const names = (existing ?? '')
    .split(',')
    .map((n) => n.trim())
    .filter(Boolean);
  return names.some((n) => n.toLowerCase() === name) ? names.join(', ') : [...names, name].join(', ');
};

/**
 * Content negotiation for every route, from what the route declares it produces: the
 * chosen media type goes to the route's function, an Accept nothing satisfies is 406,
 * and a route with more than one representation says `Vary: accept` on every answer.
 */
export function negotiateMediaType(spec: Pick<RouteSpec, 'responses'>): MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2> {
  const produced = producedMediaTypes(spec);
  const varies = produced.length > 1;
  const addVary = (response: APIGatewayProxyStructuredResultV2 | undefined) => {
    if (varies && response) response.headers = { ...response.headers, vary: mergeVary(response.headers?.vary as string | undefined, 'accept') };
  };
  return {
    before: (request) => {
      const chosen = negotiate(request.event.headers?.accept, produced);
      if (!chosen) {
        throw new HttpProblem('not-acceptable', `This resource is available as ${produced.join(', ')}; send an Accept header that allows one of them.`);
      }
      edgeState(request.event).mediaType = chosen;
    },
    after: (request) => addVary(request.response ?? undefined),
    onError: (request) => addVary(request.response ?? undefined),
  };
}

/**
 * The language to write a file in, from Accept-Language (RFC 9110 §12.5.4) against the
 * languages offered: a range names a language by its primary subtag (ja-JP asks for ja),
 * `*` any other; each language takes the q of its own range over the wildcard's, the
 * highest q wins, then the range named first. Undefined when nothing offered is
 * acceptable: the caller's default applies (a language is never worth a 406).
 */
export function negotiateLanguage<L extends string>(header: string | undefined, offered: readonly L[]): L | undefined {
  const ranges = (header ?? '').split(',').flatMap((part, position) => {
    const [range, ...params] = part.split(';').map((piece) => piece.trim().toLowerCase());
    if (!range) return [];
    const qParam = params.find((param) => param.startsWith('q='))?.slice(2);
    const q = qParam === undefined ? 1 : /^(0(\.\d{0,3})?|1(\.0{0,3})?)$/.test(qParam) ? Number(qParam) : 1;
    return [{ primary: range.split('-')[0], q, position }];
  });
  let best: { language: L; q: number; position: number } | undefined;
  for (const language of offered) {
    const match = ranges.find((r) => r.primary === language.toLowerCase()) ?? ranges.find((r) => r.primary === '*');
    if (!match || match.q <= 0) continue;
    if (!best || match.q > best.q || (match.q === best.q && match.position < best.position)) best = { language, ...match };
  }
  return best?.language;
}
