import { readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { fileURLToPath } from 'node:url';

/**
 * Stack traces in the original sources, without paying for it at cold start. A Lambda
 * bundle ships its source map beside it (index.mjs.map), but the functions do not run with
 * --enable-source-maps, which makes Node read and parse the whole map on every cold start
 * (docs/benchmarks.md). Instead the stack of an unexpected error is mapped here when it is
 * logged: a bundle's map is read on the first such error, and kept.
 */
const maps = new Map<string, SourceMap | null>();

function sourceMapOf(file: string): SourceMap | null {
  let map = maps.get(file);
  if (map === undefined) {
    try {
      map = new SourceMap(JSON.parse(readFileSync(`${file}.map`, 'utf8')));
    } catch {
      map = null;
    }
    maps.set(file, map);
  }
  return map;
}

/** Frames of bundled JavaScript: `file:///var/task/index.mjs:1:2345` or `/var/task/index.mjs:1:2345`. */
const frame = /((?:file:\/\/)?\/[^\s():]+\.m?js):(\d+):(\d+)/g;

/** The stack with each bundled frame replaced by its place in the original source (`shared/…/x.ts:12:5`), where a map says. */
export function originalStack(stack: string | undefined): string | undefined {
  if (!stack || process.sourceMapsEnabled) return stack;
  return stack.replace(frame, (whole, location: string, line: string, column: string) => {
    const map = sourceMapOf(location.startsWith('file:') ? fileURLToPath(location) : location);
    const origin = map?.findOrigin(Number(line), Number(column));
    if (!origin || !('fileName' in origin)) return whole;
    return `${origin.fileName.replace(/^(\.\.\/)+/, '')}:${origin.lineNumber}:${origin.columnNumber}`;
  });
}

/** Wraps a job's handler so that an error it throws reaches the Lambda runtime (and its log) with the original stack. */
export function withOriginalStack<A extends unknown[], R>(handler: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  return async (...args) => {
    try {
      return await handler(...args);
    } catch (error) {
      if (error instanceof Error) error.stack = originalStack(error.stack);
      throw error;
    }
  };
}
