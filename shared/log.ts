/**
 * One structured JSON logger for the process. Log lines carry ids, kinds, counts and
 * timings: never request bodies, headers, tokens, names or contact details.
 *
 * A few lines of our own instead of @aws-lambda-powertools/logger: the code uses only
 * levelled lines with appended keys, and that library alone added about a fifth of the
 * cold-start budget to every function (docs/benchmarks.md, cold start). Lines keep its
 * shape (level, message, timestamp, service, function_name, xray_trace_id, then the keys) and the level
 * comes from the same settings: POWERTOOLS_LOG_LEVEL, else LOG_LEVEL, else INFO, never
 * below the function's own AWS_LAMBDA_LOG_LEVEL.
 */
const levels = { TRACE: 6, DEBUG: 8, INFO: 12, WARN: 16, ERROR: 20, CRITICAL: 24, SILENT: 28 } as const;
export type LogLevel = keyof typeof levels;

const levelNamed = (name: string | undefined): LogLevel | undefined => {
  const upper = name?.toUpperCase();
  return upper && Object.hasOwn(levels, upper) ? (upper as LogLevel) : undefined;
};

/** Error instances as their name, message and stack; cycles and bigints never make a line fail. */
function lineOf(entry: Record<string, unknown>): string {
  const seen = new WeakSet<object>();
  return JSON.stringify(entry, (_key, value: unknown) => {
    if (typeof value === 'bigint') return value.toString();
    if (value instanceof Error) return { name: value.name, message: value.message, stack: value.stack };
    if (value && typeof value === 'object') {
      if (seen.has(value)) return '[Circular]';
      seen.add(value);
    }
    return value;
  });
}

class Logger {
  private threshold: number | undefined;
  private keys: Record<string, unknown> = {};

  constructor(private readonly service: string) {}

  /** Read from the environment on the first line, not at import (tools set it after importing). */
  private minimum(): number {
    if (this.threshold === undefined) {
      const chosen = levels[levelNamed(process.env.POWERTOOLS_LOG_LEVEL) ?? levelNamed(process.env.LOG_LEVEL) ?? 'INFO'];
      const lambda = levelNamed(process.env.AWS_LAMBDA_LOG_LEVEL);
      this.threshold = Math.max(chosen, lambda ? levels[lambda] : 0);
    }
    return this.threshold;
  }

  setLogLevel(level: LogLevel): void {
    this.threshold = levels[level];
  }

  /** Keys added to every line until resetKeys (the edge adds the request ids per invocation). */
  appendKeys(keys: Record<string, unknown>): void {
    Object.assign(this.keys, keys);
  }

  resetKeys(): void {
    this.keys = {};
  }

  debug(message: string, extra?: Record<string, unknown>): void {
    this.write('DEBUG', message, extra);
  }

  info(message: string, extra?: Record<string, unknown>): void {
    this.write('INFO', message, extra);
  }

  warn(message: string, extra?: Record<string, unknown>): void {
    this.write('WARN', message, extra);
  }

  error(message: string, extra?: Record<string, unknown>): void {
    this.write('ERROR', message, extra);
  }

  private write(level: LogLevel, message: string, extra: Record<string, unknown> | undefined): void {
    if (levels[level] < this.minimum()) return;
    const trace = /(?:^|;)Root=([^;]+)/.exec(process.env._X_AMZN_TRACE_ID ?? '')?.[1];
    const line = lineOf({
      level,
      message,
      timestamp: new Date().toISOString(),
      service: this.service,
      // The functions share a log group: each line says whose it is.
      ...(process.env.AWS_LAMBDA_FUNCTION_NAME ? { function_name: process.env.AWS_LAMBDA_FUNCTION_NAME } : {}),
      ...(trace ? { xray_trace_id: trace } : {}),
      ...this.keys,
      ...extra,
    });
    // Straight to the streams, one JSON object per line: Lambda keeps such lines as they are.
    (levels[level] >= levels.WARN ? process.stderr : process.stdout).write(`${line}\n`);
  }
}

export const logger = new Logger('kanryu');
