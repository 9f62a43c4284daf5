import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { routeList, routes } from '../../shared/http/routes';

/**
 * Each route's spec lives in shared/http/routes/<handler>.ts and its function imports that
 * module alone, so a Lambda function builds only its own route's schemas at cold start
 * (docs/benchmarks.md); shared/http/routes.ts gathers them for CDK, OpenAPI and the host.
 */
const root = fileURLToPath(new URL('../..', import.meta.url));
const routeModules = readdirSync(`${root}shared/http/routes`)
  .filter((file) => file.endsWith('.ts') && file !== 'responses.ts')
  .map((file) => file.replace(/\.ts$/, ''));

describe('route modules', () => {
  it('the table holds every route module once, under the id its module exports', async () => {
    expect(routeList.map((r) => r.handler).sort()).toEqual([...routeModules].sort());
    for (const { id, handler } of routeList) {
      const module = (await import(`../../shared/http/routes/${handler}.ts`)) as Record<string, unknown>;
      expect(module[id], `shared/http/routes/${handler}.ts exports ${id}`).toBe(routes[id as keyof typeof routes]);
    }
  });

  it("each route's function imports its own route module and nothing else of the route table", () => {
    for (const { handler } of routeList) {
      const source = readFileSync(`${root}functions/${handler}.ts`, 'utf8');
      const imported = [...source.matchAll(/from '\.\.\/shared\/http\/(routes(?:\/[a-z-]+)?)'/g)].map((m) => m[1]);
      // The OpenAPI function documents every route, so it alone reads the whole table.
      const allowed = handler === 'openapi' ? ['routes', `routes/${handler}`] : [`routes/${handler}`];
      expect(imported.sort(), `functions/${handler}.ts`).toEqual(allowed.sort());
    }
  });

  // The flavours differ in what they bundle (shared/http/edge.ts): the AWS SDK only where the
  // route uses the table, the service keys and Secrets Manager only where it answers pages.
  it('each function wraps its route in the edge its declaration calls for', () => {
    for (const route of routeList) {
      const source = readFileSync(`${root}functions/${route.handler}.ts`, 'utf8');
      const query = route.query as { shape?: Record<string, unknown> } | undefined;
      const expected =
        route.access.kind === 'lrs-client'
          ? 'lrsHttpHandler'
          : route.data === 'none'
            ? 'tablelessHttpHandler'
            : query?.shape && 'cursor' in query.shape
              ? 'pagedHttpHandler'
              : 'httpHandler';
      const used = [...source.matchAll(/\b(tablelessHttpHandler|pagedHttpHandler|httpHandler|lrsHttpHandler)\(/g)].map((m) => m[1]);
      expect(used, `functions/${route.handler}.ts`).toEqual([expected]);
    }
  });
});
