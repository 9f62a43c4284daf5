/**
 * Disclosure control for public figures: primary suppression of counts from 1 to
 * SMALL_CELL - 1, then complementary suppression over every published margin, so that no
 * hidden count can be recomputed by subtracting published figures from published totals.
 *
 * A published table is a cross-table: rows (prefectures, talent types, work styles) by
 * columns (fiscal years, and CUMULATIVE, the row's total over the years). Each row adds up
 * to its cumulative cell; where `columnTotals` is set, each column adds up to a national
 * figure that is always published. Hidden cells are the unknowns of those equations.
 * A hidden cell is safe when some change of the hidden cells that keeps every equation and
 * every count non-negative moves it: a cycle of hidden cells (row, column, row, ...) whose
 * decreasing cells are all at least 1. The search adds the cheapest rectangle (in cells of
 * SMALL_CELL or more hidden, then in cells hidden) through any cell that is not safe, until
 * all are, for the public and, where `insiderRows` is set, for each row's own center, who
 * knows its row exactly and must learn no other row's hidden cell from it.
 */
import { SMALL_CELL } from './report';

export const CUMULATIVE = 'cumulative';

export interface CrossTable {
  rows: readonly string[];
  /** Fiscal years (or other parts); CUMULATIVE is added as the last column. */
  columns: readonly string[];
  value: (row: string, column: string) => number;
  /** Each column's total over the rows is published (the national figures). */
  columnTotals: boolean;
  /** Each row is a prefecture whose center sees that row exactly. */
  insiderRows: boolean;
  /** A cell that other published figures pin at 0 while it is 0 (no parts of it exist). */
  pinnedAtZero?: (row: string, column: string) => boolean;
}

export type HiddenCells = ReadonlySet<string>;
export const cellKey = (row: string, column: string) => `${row}\t${column}`;

/** The cells of a table the public does not see: small counts and their complements. */
export function protectTable(table: CrossTable): Set<string> {
  const grid = new Grid(table);
  for (let cell = 0; cell < grid.size; cell++) {
    const n = grid.values[cell]!;
    if (n > 0 && n < SMALL_CELL) grid.hidden[cell] = 1;
  }
  // Each pass fixes every unsafe cell it finds; a fix always hides a new cell, so it ends.
  for (;;) {
    const unsafe = grid.unsafeCells();
    if (unsafe.length === 0) break;
    let changed = false;
    for (const problem of unsafe) {
      if (grid.isSafe(problem.cell, problem.insider)) continue;
      changed = grid.addComplement(problem.cell, problem.insider) || changed;
    }
    if (changed) continue;
    // A hidden 0 that cannot move (its column's total is 0, say) protects nothing: show it.
    const pointless = unsafe.filter(({ cell }) => grid.values[cell] === 0 && grid.hidden[cell] && !grid.isSafe(cell, -1));
    for (const { cell } of pointless) grid.hidden[cell] = 0;
    if (pointless.length > 0) continue;
    // The last resort (a table too small to protect otherwise): hide the unsafe cells' rows whole.
    for (const { cell } of unsafe) for (let c = 0; c < grid.columnCount; c++) grid.hidden[grid.rowOf(cell) * grid.columnCount + c] = 1;
    break;
  }
  // A hidden 0 that cannot move (its column's total is 0, say) protects nothing: show it.
  for (let cell = 0; cell < grid.size; cell++) if (grid.hidden[cell] && grid.values[cell] === 0 && !grid.isSafe(cell, -1)) grid.hidden[cell] = 0;
  const hidden = new Set<string>();
  for (let cell = 0; cell < grid.size; cell++) if (grid.hidden[cell]) hidden.add(cellKey(table.rows[grid.rowOf(cell)]!, grid.columns[grid.columnOf(cell)]!));
  return hidden;
}

/**
 * The table as a flow network: rows and columns are its nodes (columns without a published
 * total are one free node); raising a year cell moves one unit row -> column, raising a
 * cumulative cell column -> row (it sits on the other side of the row's equation);
 * lowering is the reverse arc, open only while the cell is at least 1. A hidden cell can
 * move iff one of its arcs lies on a cycle of the other hidden cells' arcs.
 */
class Grid {
  readonly columns: string[];
  readonly columnCount: number;
  readonly size: number;
  readonly values: Float64Array;
  readonly hidden: Uint8Array;
  private readonly pinned: Uint8Array;
  private readonly nodes: number;
  private readonly cumulative: number;

  constructor(private readonly table: CrossTable) {
    this.columns = [...table.columns, CUMULATIVE];
    this.columnCount = this.columns.length;
    this.cumulative = this.columnCount - 1;
    this.size = table.rows.length * this.columnCount;
    this.values = new Float64Array(this.size);
    table.rows.forEach((row, r) => {
      this.columns.forEach((column, c) => {
        this.values[r * this.columnCount + c] = table.value(row, column);
      });
    });
    this.hidden = new Uint8Array(this.size);
    this.pinned = new Uint8Array(this.size);
    table.rows.forEach((row, r) => {
      this.columns.forEach((column, c) => {
        if (table.pinnedAtZero?.(row, column) && this.values[r * this.columnCount + c] === 0) this.pinned[r * this.columnCount + c] = 1;
      });
    });
    this.nodes = table.rows.length + (table.columnTotals ? this.columnCount : 1);
  }

  rowOf = (cell: number) => Math.floor(cell / this.columnCount);
  columnOf = (cell: number) => cell % this.columnCount;
  private columnNode = (c: number) => this.table.rows.length + (this.table.columnTotals ? c : 0);
  /** The arc that raises the cell: [from, to]. */
  private raise(cell: number): [number, number] {
    const r = this.rowOf(cell);
    const c = this.columnNode(this.columnOf(cell));
    return this.columnOf(cell) === this.cumulative ? [c, r] : [r, c];
  }

  /** Arcs of the hidden cells (each tagged with its cell), leaving out an insider's row. */
  private network(hidden: Uint8Array, insider: number): { to: number; cell: number }[][] {
    const out: { to: number; cell: number }[][] = Array.from({ length: this.nodes }, () => []);
    for (let cell = 0; cell < this.size; cell++) {
      if (!hidden[cell] || this.rowOf(cell) === insider) continue;
      const [from, to] = this.raise(cell);
      if (!this.pinned[cell]) out[from]!.push({ to, cell });
      if (this.values[cell]! >= 1) out[to]!.push({ to: from, cell });
    }
    return out;
  }

  private reaches(out: { to: number; cell: number }[][], from: number, to: number, without: number): boolean {
    const seen = new Uint8Array(this.nodes);
    seen[from] = 1;
    const stack = [from];
    while (stack.length > 0) {
      const node = stack.pop()!;
      if (node === to) return true;
      for (const arc of out[node]!) {
        if (arc.cell === without || seen[arc.to]) continue;
        seen[arc.to] = 1;
        stack.push(arc.to);
      }
    }
    return false;
  }

  private movable(out: { to: number; cell: number }[][], cell: number): boolean {
    const [from, to] = this.raise(cell);
    return (!this.pinned[cell] && this.reaches(out, to, from, cell)) || (this.values[cell]! >= 1 && this.reaches(out, from, to, cell));
  }

  isSafe(cell: number, insider: number, hidden = this.hidden): boolean {
    return this.movable(this.network(hidden, insider), cell);
  }

  /** Hidden cells that cannot move, for the public (insider -1) and for each row's own center. */
  unsafeCells(): { cell: number; insider: number }[] {
    const rows = new Set<number>();
    for (let cell = 0; cell < this.size; cell++) if (this.hidden[cell]) rows.add(this.rowOf(cell));
    const contexts = [-1, ...(this.table.insiderRows ? rows : [])];
    const problems: { cell: number; insider: number }[] = [];
    for (const insider of contexts) {
      const out = this.network(this.hidden, insider);
      for (let cell = 0; cell < this.size; cell++) {
        // A center whose own count is the national total knows every other prefecture has 0:
        // a hidden 0 need not hold against insiders.
        if (insider >= 0 && this.values[cell] === 0) continue;
        if (this.hidden[cell] && this.rowOf(cell) !== insider && !this.movable(out, cell)) problems.push({ cell, insider });
      }
    }
    return problems;
  }

  /** Hides the cheapest rectangle (without column totals, pair) through the cell that lets it move. */
  addComplement(cell: number, insider: number): boolean {
    const row = this.rowOf(cell);
    const column = this.columnOf(cell);
    let best: { cells: number[]; cost: number } | undefined;
    const consider = (cells: number[]) => {
      let price = 0;
      for (const c of cells) if (!this.hidden[c]) price += this.values[c]! >= SMALL_CELL ? 1_000_000 + this.values[c]! : 1;
      if (price === 0 || (best && price >= best.cost)) return;
      const trial = this.hidden.slice();
      for (const c of cells) trial[c] = 1;
      if (this.isSafe(cell, insider, trial)) best = { cells, cost: price };
    };
    const C = this.columnCount;
    for (let other = 0; other < C; other++) {
      if (other === column) continue;
      if (!this.table.columnTotals) {
        consider([row * C + other]);
        continue;
      }
      for (let partner = 0; partner < this.table.rows.length; partner++) {
        if (partner === row || partner === insider) continue;
        consider([row * C + other, partner * C + column, partner * C + other]);
      }
    }
    if (!best) return false;
    for (const c of best.cells) this.hidden[c] = 1;
    return true;
  }
}

/** A published value: the exact count, or null where it is hidden. */
export const publish = (table: CrossTable, hidden: HiddenCells, row: string, column: string): number | null =>
  hidden.has(cellKey(row, column)) ? null : table.value(row, column);
