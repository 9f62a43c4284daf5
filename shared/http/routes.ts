import * as catalog from '../schemas/catalog';
import * as common from '../schemas/common';
import { route, type RouteSpec } from './route';

const problemResponses = {
  400: { description: 'The request does not match the schema', schema: common.problem },
  401: { description: 'No valid bearer token', schema: common.problem },
  403: { description: 'The caller may not do this', schema: common.problem },
} as const;

/**
 * The HTTP API, declared once. Adding a route here adds it to AWS (CDK), to the local
 * host and to the OpenAPI document; its handler authorizes from `access`.
 */
export const routes = {
  health: route({
    method: 'GET',
    path: '/health',
    handler: 'health',
    data: 'none',
    access: { kind: 'public' },
    summary: 'Liveness check',
    tag: 'meta',
    responses: { 200: { description: 'Up', schema: common.health } },
  }),
  openapi: route({
    method: 'GET',
    path: '/openapi.json',
    handler: 'openapi',
    data: 'none',
    access: { kind: 'public' },
    summary: 'This API as an OpenAPI 3.1 document',
    tag: 'meta',
    responses: { 200: { description: 'The OpenAPI document' } },
  }),
  me: route({
    method: 'GET',
    path: '/v1/me',
    handler: 'me',
    data: 'none',
    access: { kind: 'roles', roles: ['learner', 'provider', 'employer', 'municipality', 'center', 'admin'] },
    summary: "The caller's identity as the API sees it",
    tag: 'identity',
    responses: { 200: { description: 'Subject, role and scope', schema: common.identity }, 401: problemResponses[401] },
  }),
  listCatalog: route({
    method: 'GET',
    path: '/v1/catalog',
    handler: 'catalog-list',
    data: 'read',
    access: { kind: 'public' },
    summary: 'Installed catalog versions and the current one',
    tag: 'catalog',
    responses: { 200: { description: 'Versions', schema: catalog.catalogList } },
  }),
  getCatalog: route({
    method: 'GET',
    path: '/v1/catalog/{version}',
    handler: 'catalog-get',
    data: 'read',
    access: { kind: 'public' },
    summary: 'A whole catalog version: DSS-L parts and items, DSS-P types, roles, skills and importance',
    tag: 'catalog',
    params: catalog.versionParams,
    responses: {
      200: { description: 'The catalog version', schema: catalog.catalogVersion },
      400: problemResponses[400],
      404: { description: 'No such version', schema: common.problem },
    },
  }),
  getCatalogRole: route({
    method: 'GET',
    path: '/v1/catalog/{version}/roles/{roleId}',
    handler: 'catalog-role',
    data: 'read',
    access: { kind: 'public' },
    summary: 'One DSS-P role with the importance of every skill item for it',
    tag: 'catalog',
    params: catalog.roleParams,
    responses: {
      200: { description: 'The role', schema: catalog.roleView },
      400: problemResponses[400],
      404: { description: 'No such version or role', schema: common.problem },
    },
  }),
  installCatalog: route({
    method: 'POST',
    path: '/v1/catalog/versions',
    handler: 'catalog-install',
    data: 'read-write',
    access: { kind: 'roles', roles: ['admin'] },
    summary: 'Install a catalog version (immutable once installed)',
    tag: 'catalog',
    body: { json: catalog.installCatalogBody },
    maxBodyBytes: 1024 * 1024,
    responses: {
      201: { description: 'Installed', schema: catalog.catalogSummary },
      200: { description: 'The same content was already installed', schema: catalog.catalogSummary },
      ...problemResponses,
      409: { description: 'The version exists with different content', schema: common.problem },
      422: { description: 'The catalog is inconsistent', schema: common.problem },
    },
  }),
} satisfies Record<string, RouteSpec>;

export type RouteId = keyof typeof routes;
export const routeList: readonly (RouteSpec & { id: string })[] = Object.entries(routes).map(([id, spec]) => ({ id, ...spec }));
