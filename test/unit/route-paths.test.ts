import { describe, expect, it } from 'vitest';
import type * as z from 'zod/mini';
import { routeList } from '../../shared/http/routes';

/**
 * No two routes a router can confuse: for the same method, no two path templates match one
 * path (each segment equal, or a {param} opposite a literal), so which route serves a path
 * never depends on a router's preference for literal segments (national rounds left
 * /v1/match-runs/national for /v1/national-match-runs). The one convention kept is `me`,
 * the caller, beside a collection of ids (/v1/learners/me): allowed only where the id's
 * schema refuses "me", so no learner can be named so.
 */
const segments = (path: string) => path.split('/').filter(Boolean);
const param = (segment: string) => /^\{(\w+)\}$/.exec(segment)?.[1];

describe('route paths', () => {
  it('never overlap unless the parameter refuses the literal', () => {
    const overlaps: string[] = [];
    for (const [i, a] of routeList.entries()) {
      for (const b of routeList.slice(i + 1)) {
        if (a.method !== b.method) continue;
        const [sa, sb] = [segments(a.path), segments(b.path)];
        if (sa.length !== sb.length) continue;
        const clashes = sa.map((segment, k) => [segment, sb[k]!] as const);
        if (!clashes.every(([x, y]) => x === y || param(x) || param(y))) continue;
        // `me` opposite a parameter whose schema refuses it.
        const told = clashes.some(([x, y]) => {
          if (x !== 'me' && y !== 'me') return false;
          const [route, name, literal] = param(x) && !param(y) ? [a, param(x)!, y] : param(y) && !param(x) ? [b, param(y)!, x] : [undefined, '', ''];
          const schema = route?.params as z.ZodMiniObject | undefined;
          return (
            schema !== undefined &&
            !schema.safeParse({ ...Object.fromEntries(segments(route!.path).flatMap((s) => (param(s) ? [[param(s), 'x']] : []))), [name]: literal }).success
          );
        });
        if (!told) overlaps.push(`${a.method} ${a.path} ~ ${b.path}`);
      }
    }
    expect(overlaps).toEqual([]);
  });
});
