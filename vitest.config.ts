import { defineConfig } from 'vitest/config';

/**
 * Two projects, both run by `npm test` (`vitest run`):
 * - unit: test/unit, pure code only: no embedded DynamoDB, no signing key, no setup file;
 *   `npm run test:unit` runs it alone, in seconds.
 * - integration: everything else, each file on a fresh embedded DynamoDB and signing key
 *   (test/support/setup.ts), with every log line scanned for personal data at the end.
 */
export default defineConfig({
  test: {
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          // Pure code runs in worker threads. Late in a full run, a forks worker spawned for
          // the unit files has twice sat idle forever (vitest's fork pool, 2 cores), and
          // threads never need that spawn.
          pool: 'threads',
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/**/*.test.ts'],
          exclude: ['test/unit/**'],
          setupFiles: ['test/support/setup.ts'],
          // Scans every log line of the run for personal data at the end (fails the run if found).
          globalSetup: ['test/support/log-capture.ts'],
        },
      },
    ],
  },
});
