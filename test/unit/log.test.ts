import { afterEach, describe, expect, it, vi } from 'vitest';
import { logger } from '../../shared/log';

/** What one call writes, per stream, as parsed JSON lines. */
function capture(act: () => void) {
  const lines = { stdout: [] as Record<string, unknown>[], stderr: [] as Record<string, unknown>[] };
  for (const name of ['stdout', 'stderr'] as const) {
    vi.spyOn(process[name], 'write').mockImplementation((chunk: unknown) => {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines[name].push(JSON.parse(line) as Record<string, unknown>);
      return true;
    });
  }
  try {
    act();
  } finally {
    vi.restoreAllMocks();
  }
  return lines;
}

describe('logger', () => {
  afterEach(() => {
    logger.resetKeys();
    logger.setLogLevel('INFO');
  });

  it('writes one JSON line per entry: level, message, timestamp, service, then the keys', () => {
    logger.setLogLevel('INFO');
    logger.appendKeys({ requestId: 'r-1' });
    const { stdout, stderr } = capture(() => logger.info('request', { route: 'GET /health', status: 200 }));
    expect(stderr).toEqual([]);
    expect(stdout).toHaveLength(1);
    expect(stdout[0]).toMatchObject({ level: 'INFO', message: 'request', service: 'kanryu', requestId: 'r-1', route: 'GET /health', status: 200 });
    expect(Number.isNaN(Date.parse(String(stdout[0]!.timestamp)))).toBe(false);
  });

  it('names the function on every line in Lambda, where the functions share one log group', () => {
    vi.stubEnv('AWS_LAMBDA_FUNCTION_NAME', 'Kanryu-dev-RouteGetProgress');
    try {
      const { stdout } = capture(() => logger.info('request'));
      expect(stdout[0]).toMatchObject({ service: 'kanryu', function_name: 'Kanryu-dev-RouteGetProgress' });
    } finally {
      vi.unstubAllEnvs();
    }
    expect(capture(() => logger.info('request')).stdout[0]!.function_name).toBeUndefined();
  });

  it('drops lines below the level, sends warnings and errors to stderr, forgets reset keys', () => {
    logger.setLogLevel('WARN');
    logger.appendKeys({ requestId: 'r-2' });
    logger.resetKeys();
    const { stdout, stderr } = capture(() => {
      logger.info('not shown');
      logger.warn('odd', { chunk: 3 });
      logger.error('failed', { error: new TypeError('boom') });
    });
    expect(stdout).toEqual([]);
    expect(stderr.map((line) => [line.level, line.message, line.requestId])).toEqual([
      ['WARN', 'odd', undefined],
      ['ERROR', 'failed', undefined],
    ]);
    expect(stderr[1]!.error).toMatchObject({ name: 'TypeError', message: 'boom' });
  });

  it('never fails a request over what it was given to log', () => {
    const cyclic: Record<string, unknown> = { count: 10n };
    cyclic.self = cyclic;
    const { stdout } = capture(() => logger.info('odd keys', { cyclic }));
    expect(stdout[0]!.cyclic).toEqual({ count: '10', self: '[Circular]' });
  });
});
