import { performance } from 'node:perf_hooks';
import { describeMachine } from './machine';
import type { BenchmarkId, Figure, OverBudget, SectionResult, Table } from './results';

/** Collects a benchmark's output as it runs; `finish` stamps time and machine. */
export class Section {
  private readonly started = performance.now();
  private readonly ranAt = new Date().toISOString();
  private readonly machine = describeMachine();
  readonly method: string[] = [];
  readonly figures: Figure[] = [];
  readonly tables: Table[] = [];
  readonly notes: string[] = [];
  readonly over: OverBudget[] = [];

  constructor(
    readonly id: BenchmarkId,
    readonly title: string,
  ) {}

  figure(label: string, value: string, budget?: { text: string; within: boolean }) {
    this.figures.push({ label, value, budget: budget?.text ?? '', verdict: budget ? (budget.within ? 'pass' : 'over') : 'info' });
  }

  table(caption: string, header: string[], rows: string[][]) {
    this.tables.push({ caption, header, rows });
  }

  finish(): SectionResult {
    return {
      id: this.id,
      title: this.title,
      ranAt: this.ranAt,
      durationSeconds: Math.round((performance.now() - this.started) / 100) / 10,
      machine: this.machine,
      method: this.method,
      figures: this.figures,
      tables: this.tables,
      notes: this.notes,
      over: this.over,
    };
  }
}

/** Progress on stderr (stdout of benchmark processes is discarded: the handlers log there). */
export const progress = (message: string) => process.stderr.write(`  · ${message}\n`);
