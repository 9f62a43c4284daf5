import type { Machine } from './machine';

/** What each benchmark hands to the report: figures with budgets, tables, and reasons. */
export const benchmarkIds = ['cold-start', 'capacity', 'overhead', 'matching', 'ranking', 'rebuild', 'drain'] as const;
export type BenchmarkId = (typeof benchmarkIds)[number];

export type Verdict = 'pass' | 'over' | 'info';

export interface Figure {
  label: string;
  value: string;
  /** Empty when the figure has no budget (then verdict is 'info'). */
  budget: string;
  verdict: Verdict;
}

export interface Table {
  caption: string;
  header: string[];
  rows: string[][];
}

/** For every figure over budget: why (from the measurement) and what would bring it under. */
export interface OverBudget {
  figure: string;
  why: string;
  plan: string;
}

export interface SectionResult {
  id: BenchmarkId;
  title: string;
  ranAt: string;
  durationSeconds: number;
  machine: Machine;
  /** How it was measured, in a few sentences. */
  method: string[];
  figures: Figure[];
  tables: Table[];
  notes: string[];
  over: OverBudget[];
}

export const verdictOf = (withinBudget: boolean): Verdict => (withinBudget ? 'pass' : 'over');
