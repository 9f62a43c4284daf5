import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findPersonalData } from './personal-data-scan';

/**
 * Global setup: every worker appends every line it writes (the product's logs included)
 * to a file in this directory (test/support/setup.ts); at the end of the run the lines
 * are scanned and the run fails if any holds personal data or a token.
 */
export default function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'kanryu-logs-'));
  process.env.KANRYU_LOG_CAPTURE_DIR = dir;
  return () => {
    const findings: string[] = [];
    let lines = 0;
    for (const file of readdirSync(dir)) {
      for (const line of readFileSync(join(dir, file), 'utf8').split('\n')) {
        if (!line) continue;
        lines++;
        const found = findPersonalData(line);
        if (found.length) findings.push(`${found.join(', ')} in: ${line.slice(0, 160)}`);
      }
    }
    rmSync(dir, { recursive: true, force: true });
    const fail = (message: string) => {
      // A teardown error alone does not change vitest's exit code.
      process.exitCode = 1;
      throw new Error(message);
    };
    if (lines === 0) fail('log scan: no log line was captured; the capture is broken');
    if (findings.length) fail(`log scan: ${findings.length} log line(s) hold personal data or tokens:\n${findings.slice(0, 10).join('\n')}`);
    console.log(`log scan: ${lines} captured log lines, no personal data`);
  };
}
