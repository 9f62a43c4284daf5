import { aggregateIds, isCompletionsAggregate } from '../data/aggregation';
import type { CompletionStatus } from '../schemas/completions';
import { TARGET_START } from '../time/japan-time';

/**
 * What one source record adds to the progress aggregates: a pure function of the record's
 * own fields, so the running aggregate and a recount from source agree by construction.
 * A contribution is { aggregate id: { cell: count } }.
 */
export type Contribution = Record<string, Record<string, number>>;

export interface CompletionFacts {
  kind: 'completion';
  fiscalYear: number;
  prefecture: string;
  status: CompletionStatus;
  completedOn: string;
}

export interface QualificationFacts {
  kind: 'qualification';
  ruleVersion: string;
  fiscalYear: number;
  prefecture: string;
  qualifiedOn: string;
  clause: string;
  types: string[];
  roles: string[];
}

export interface PlacementFacts {
  kind: 'placement';
  fiscalYear: number;
  residencePrefecture: string;
  workplacePrefecture: string;
  workStyle: string;
  acceptedOn: string;
}

export type SourceFacts = CompletionFacts | QualificationFacts | PlacementFacts;

/**
 * Cell names: dimensions joined by "|": p<prefecture>, t<type>, r<role>, d<date>,
 * c<clause>; for placements w<workplace prefecture>, s<style>, f<from>><to> (a flow).
 */
export function contributionOf(facts: SourceFacts): Contribution {
  if (facts.kind === 'placement') {
    const { workplacePrefecture: to, residencePrefecture: from, workStyle: style } = facts;
    return {
      [aggregateIds.placements(facts.fiscalYear)]: {
        all: 1,
        [`w${to}`]: 1,
        [`s${style}`]: 1,
        [`w${to}|s${style}`]: 1,
        [`f${from}>${to}`]: 1,
        [`d${facts.acceptedOn}`]: 1,
      },
    };
  }
  if (facts.kind === 'completion') {
    // Evidence from before the target window builds the skill profile and counts nowhere.
    if (facts.completedOn < TARGET_START) return {};
    const s = facts.status;
    return { [aggregateIds.completions(facts.fiscalYear)]: { [s]: 1, [`${s}|p${facts.prefecture}`]: 1, [`${s}|d${facts.completedOn}`]: 1 } };
  }
  const cells: Record<string, number> = { all: 1, [`p${facts.prefecture}`]: 1, [`d${facts.qualifiedOn}`]: 1, [`c${facts.clause}`]: 1 };
  for (const type of facts.types) {
    cells[`t${type}`] = 1;
    cells[`p${facts.prefecture}|t${type}`] = 1;
  }
  for (const role of facts.roles) {
    cells[`r${role}`] = 1;
    cells[`p${facts.prefecture}|r${role}`] = 1;
  }
  return { [aggregateIds.people(facts.ruleVersion, facts.fiscalYear)]: cells };
}

/**
 * Where a record's cells are stored: its aggregate is kept as small items ("parts") under
 * one partition, summed when read, so that counting one record rewrites about 1 KB, not a
 * whole fiscal year. Cells naming a prefecture (p, w; a flow by its destination) go to the
 * part of its group of three prefectures (few enough items for a report to read cheaply,
 * small enough for one write unit); days to the part of the record's month; the other
 * cells (totals, types, roles, clauses) to one totals part, except for completions, the
 * records written most, whose totals stay in the part of their month and status (a
 * completion writes two parts, not three; their totals appear in each month and add up
 * on read). Pure, per
 * record: the running aggregate and a recount split every record the same way.
 */
export function partsOf(contribution: Contribution): Contribution {
  const parts: Contribution = {};
  for (const [aggregate, cells] of Object.entries(contribution)) {
    const day = Object.keys(cells)
      .flatMap((cell) => cell.split('|'))
      .find((token) => /^d\d{4}-\d{2}-\d{2}$/.test(token));
    const monthPart = day ? `M${day.slice(1, 8)}` : 'T';
    for (const [cell, n] of Object.entries(cells)) {
      const place = cell
        .split('|')
        .map((token) => /^[pw](\d{2})$/.exec(token)?.[1] ?? /^f\d{2}>(\d{2})$/.exec(token)?.[1])
        .find(Boolean);
      const part = place
        ? prefectureGroupPart(place)
        : isCompletionsAggregate(aggregate)
          ? // A month of one status: 31 days of two statuses would pass 1 KB.
            `${monthPart}#${cell.split('|')[0]}`
          : cell.split('|').some((token) => token.startsWith('d'))
            ? monthPart
            : 'T';
      (parts[physicalAggregate(aggregate, part)] ??= {})[cell] = n;
    }
  }
  return parts;
}

/** Prefectures 01-03 in G01, 04-06 in G02, … 46-47 in G16; unknown (00) in G00. */
const prefectureGroupPart = (code: string) => `G${String(Math.ceil(Number(code) / 3)).padStart(2, '0')}`;

/** The id of one part of an aggregate (what the manifest's deltas are keyed by). */
export const physicalAggregate = (aggregate: string, part: string) => `${aggregate}@${part}`;
export function aggregateAndPart(physical: string): { aggregate: string; part: string } {
  const at = physical.lastIndexOf('@');
  return { aggregate: physical.slice(0, at), part: physical.slice(at + 1) };
}

/** to - from, cell by cell, dropping zeros. */
export function difference(to: Contribution, from: Contribution): Contribution {
  const result: Contribution = {};
  for (const id of new Set([...Object.keys(to), ...Object.keys(from)])) {
    for (const cell of new Set([...Object.keys(to[id] ?? {}), ...Object.keys(from[id] ?? {})])) {
      const delta = (to[id]?.[cell] ?? 0) - (from[id]?.[cell] ?? 0);
      if (delta !== 0) (result[id] ??= {})[cell] = delta;
    }
  }
  return result;
}

export function sum(into: Contribution, add: Contribution): Contribution {
  for (const [id, cells] of Object.entries(add)) {
    const target = (into[id] ??= {});
    for (const [cell, n] of Object.entries(cells)) {
      const total = (target[cell] ?? 0) + n;
      if (total === 0) delete target[cell];
      else target[cell] = total;
    }
  }
  return into;
}
