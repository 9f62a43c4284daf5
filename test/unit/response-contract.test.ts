import { describe, expect, it } from 'vitest';
import { bodyFieldErrors } from '../../shared/errors';
import { problemResponse } from '../../shared/http/problem';
import { contractViolation } from '../support/contract';

/**
 * The check every API test answer goes through (test/support/api.ts `call`): what it lets
 * pass and what it refuses, so that "the tests pass" means "the answers match the document".
 */
const json = (status: number, body: unknown, contentType = 'application/json') => ({
  status,
  headers: { 'content-type': contentType },
  text: JSON.stringify(body),
});
const problem = (status: number, body: Record<string, unknown> = {}) =>
  json(status, { type: 'urn:kanryu:problem:x', title: 'A title', status, detail: 'What went wrong', ...body }, 'application/problem+json');

describe('the answers the tests receive are checked against /openapi.json', () => {
  it('lets a declared answer pass', () => {
    expect(contractViolation('GET', '/health', json(200, { status: 'ok' }))).toBeUndefined();
    expect(contractViolation('GET', '/v1/me', problem(401))).toBeUndefined();
  });

  it('refuses an undeclared status, naming the method, path and status', () => {
    const violation = contractViolation('GET', '/health', json(418, { status: 'ok' }));
    expect(violation).toMatch(/^GET \/health -> 418: status 418 is not declared for GET \/health/);
  });

  it('refuses an empty body where the document declares one', () => {
    expect(contractViolation('GET', '/health', { status: 200, headers: {}, text: '' })).toMatch(/no body, but GET \/health declares application\/json/);
  });

  it('refuses an undeclared media type', () => {
    expect(contractViolation('GET', '/health', { status: 200, headers: { 'content-type': 'text/plain' }, text: 'ok' })).toMatch(
      /media type text\/plain is not declared/,
    );
  });

  it('refuses a member the strict schema does not name, and says where', () => {
    expect(contractViolation('GET', '/health', json(200, { status: 'ok', uptime: 1 }))).toMatch(/must NOT have additional properties.*uptime/);
  });

  it('refuses a problem whose errors are not field errors, or with an undeclared extension member', () => {
    expect(contractViolation('GET', '/v1/me', problem(401, { errors: ['skills[0]: not a skill'] }))).toMatch(/\/errors\/0 must be object/);
    expect(contractViolation('GET', '/v1/me', problem(401, { fields: ['title'] }))).toMatch(/additional properties/);
  });

  it('checks HEAD answers for their status and for having no body', () => {
    expect(contractViolation('HEAD', '/health', { status: 200, headers: {}, text: '' })).toBeUndefined();
    expect(contractViolation('HEAD', '/health', { status: 200, headers: {}, text: '{}' })).toMatch(/a HEAD answer carries no body/);
  });

  it("checks the router's own answers (no route, method not served) against the problem schema", () => {
    const noRoute = problemResponse('not-found', 'No route', '/nowhere');
    expect(contractViolation('GET', '/nowhere', { status: noRoute.statusCode, headers: noRoute.headers, text: noRoute.body })).toBeUndefined();
    const method = problemResponse('method-not-allowed', 'Not served', '/health');
    expect(contractViolation('DELETE', '/health', { status: method.statusCode, headers: method.headers, text: method.body })).toBeUndefined();
    expect(contractViolation('GET', '/nowhere', json(404, { message: 'not found' }))).toMatch(/not problem\+json/);
  });
});

describe('one errors shape', () => {
  it('turns the domain\'s "field: what is wrong" lines into field errors of the body', () => {
    expect(bodyFieldErrors(['skills[0]: "x" is not a DSS-P skill', 'a course covers at least one literacy item or skill'])).toEqual([
      { in: 'body', field: 'skills[0]', message: '"x" is not a DSS-P skill' },
      { in: 'body', field: '', message: 'a course covers at least one literacy item or skill' },
    ]);
  });

  it('places the faults of a checked member under its name in the body', () => {
    expect(bodyFieldErrors(['literacy.items[2]: duplicate id', 'no roles'], 'catalog')).toEqual([
      { in: 'body', field: 'catalog.literacy.items[2]', message: 'duplicate id' },
      { in: 'body', field: 'catalog', message: 'no roles' },
    ]);
  });
});
