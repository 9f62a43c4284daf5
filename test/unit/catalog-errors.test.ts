import { ProvisionedThroughputExceededException, RequestLimitExceeded, ThrottlingException } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import type { CatalogVersion } from '../../shared/catalog/model';
import { catalogNamedIn } from '../../shared/domain/catalog';
import { AppError, serviceBusy } from '../../shared/errors';
import { toProblem } from '../../shared/http/problem';

/**
 * Honest errors: a catalog version a request names that is not installed is the request's
 * fault (422); a lookup that fails (the table throttling, an outage) is not, and the edge
 * answers it 503 with Retry-After. The lookup is a small fake; the errors are the SDK's own.
 */
const $metadata = { httpStatusCode: 400, requestId: 'test' };
const throttles = [
  new ProvisionedThroughputExceededException({ message: 'The level of configured provisioned throughput for the table was exceeded.', $metadata }),
  new ThrottlingException({ message: 'Rate of requests exceeds the allowed throughput.', $metadata }),
  new RequestLimitExceeded({ message: 'Throughput exceeds the current throughput limit for your account.', $metadata }),
];

async function answerOf(promise: Promise<unknown>) {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeDefined();
  const problem = toProblem(error, '/v1/openings');
  return { error, status: problem.statusCode, headers: problem.headers, body: JSON.parse(problem.body) };
}

describe('a catalog lookup named by a request', () => {
  it('answers 422 when the version is not installed', async () => {
    const answer = await answerOf(catalogNamedIn('catalogVersion', '9.9', async () => undefined));
    expect(answer.status).toBe(422);
    expect(answer.body.detail).toMatch(/^catalogVersion: catalog version "9.9" is not installed/);
  });

  it('returns the catalog when it is installed', async () => {
    const catalog = { version: '1.2' } as CatalogVersion;
    await expect(catalogNamedIn('catalogVersion', '1.2', async () => catalog)).resolves.toBe(catalog);
  });

  for (const throttle of throttles) {
    it(`lets ${throttle.name} through as itself: 503 with Retry-After, never 422 "not installed"`, async () => {
      const answer = await answerOf(
        catalogNamedIn('catalogVersion', '1.2', async () => {
          throw throttle;
        }),
      );
      expect(answer.error).toBe(throttle);
      expect(answer.error).not.toBeInstanceOf(AppError);
      expect(answer.status).toBe(503);
      expect(answer.headers['retry-after']).toBe('1');
      expect(answer.body.detail).not.toMatch(/not installed/);
    });
  }

  it("lets an unexpected failure through as a 500, not as the caller's mistake", async () => {
    const answer = await answerOf(
      catalogNamedIn('catalogVersion', '1.2', async () => {
        throw new TypeError('cannot read properties of undefined');
      }),
    );
    expect(answer.status).toBe(500);
  });
});

describe('the product busy error', () => {
  it('answers 503 with Retry-After and its own message', () => {
    const problem = toProblem(serviceBusy('The database left part of a batch write unprocessed (throttled); retry the same request.'), '/v1/x');
    expect(problem.statusCode).toBe(503);
    expect(problem.headers['retry-after']).toBe('1');
    expect(JSON.parse(problem.body)).toMatchObject({ type: 'urn:kanryu:problem:service-busy', detail: expect.stringMatching(/batch write/) });
  });
});
