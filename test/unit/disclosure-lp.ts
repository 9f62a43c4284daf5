/**
 * What a reader can work out from published figures and the equations between them: for
 * each hidden cell, whether its value is determined. The reader knows every published
 * value, every sum the answers imply and that counts are not negative; a hidden cell is
 * determined when no other non-negative solution of those equations gives it another
 * value (an exact linear-programming argument, independent of how the cells were chosen).
 */
export interface Relation {
  terms: [string, number][];
  rhs: number;
}

const EPS = 1e-9;

/** The hidden cells whose value the known values and relations determine. */
export function determinedCells(relations: readonly Relation[], known: ReadonlyMap<string, number>, truth: ReadonlyMap<string, number>): string[] {
  const unknown = new Set<string>();
  for (const r of relations) for (const [cell] of r.terms) if (!known.has(cell)) unknown.add(cell);
  // Independent groups of unknowns, solved apart (small systems).
  const parent = new Map<string, string>([...unknown].map((c) => [c, c]));
  const find = (c: string): string => {
    let p = parent.get(c)!;
    while (p !== parent.get(p)) p = parent.get(p)!;
    parent.set(c, p);
    return p;
  };
  const reduced = relations
    .map((r) => {
      const terms = r.terms.filter(([c]) => unknown.has(c));
      const rhs = r.rhs - r.terms.filter(([c]) => !unknown.has(c)).reduce((n, [c, k]) => n + k * known.get(c)!, 0);
      return { terms, rhs };
    })
    .filter((r) => r.terms.length > 0);
  for (const r of reduced) for (const [c] of r.terms.slice(1)) parent.set(find(c), find(r.terms[0]![0]));
  const groups = new Map<string, string[]>();
  for (const c of unknown) groups.set(find(c), [...(groups.get(find(c)) ?? []), c]);
  const determined: string[] = [];
  for (const cells of groups.values()) {
    const index = new Map(cells.map((c, i) => [c, i]));
    const rows = reduced
      .filter((r) => index.has(r.terms[0]![0]))
      .map((r) => {
        const row = new Array<number>(cells.length).fill(0);
        for (const [c, k] of r.terms) row[index.get(c)!]! += k;
        return row;
      });
    const basis = nullSpace(rows, cells.length);
    const zeros = cells
      .map((c, i) => [c, i] as const)
      .filter(([c]) => (truth.get(c) ?? 0) === 0)
      .map(([, i]) => i);
    cells.forEach((cell, i) => {
      const moving = basis.filter((v) => Math.abs(v[i]!) > EPS);
      const free = moving.some((v) => zeros.every((z) => Math.abs(v[z]!) < EPS));
      // A zero can only grow: look for a direction that keeps every zero >= 0 and moves the cell.
      if (moving.length === 0 || (!free && !movable(basis, zeros, i, 1) && !movable(basis, zeros, i, -1))) determined.push(cell);
    });
  }
  return determined;
}

/** A basis of { d : A d = 0 } by Gauss-Jordan elimination (the entries are small integers). */
function nullSpace(rows: number[][], n: number): number[][] {
  const a = rows.map((r) => [...r]);
  const pivots: number[] = [];
  let rank = 0;
  for (let col = 0; col < n && rank < a.length; col++) {
    let best = rank;
    for (let r = rank + 1; r < a.length; r++) if (Math.abs(a[r]![col]!) > Math.abs(a[best]![col]!)) best = r;
    if (Math.abs(a[best]![col]!) < EPS) continue;
    [a[rank], a[best]] = [a[best]!, a[rank]!];
    const pivot = a[rank]!;
    const k = pivot[col]!;
    for (let j = 0; j < n; j++) pivot[j]! /= k;
    for (let r = 0; r < a.length; r++) {
      if (r === rank) continue;
      const f = a[r]![col]!;
      if (Math.abs(f) < EPS) continue;
      for (let j = 0; j < n; j++) a[r]![j]! -= f * pivot[j]!;
    }
    pivots.push(col);
    rank++;
  }
  const pivotSet = new Set(pivots);
  const basis: number[][] = [];
  for (let free = 0; free < n; free++) {
    if (pivotSet.has(free)) continue;
    const v = new Array<number>(n).fill(0);
    v[free] = 1;
    pivots.forEach((col, r) => {
      v[col] = -a[r]![free]!;
    });
    basis.push(v);
  }
  return basis;
}

/** Phase-one simplex (Bland's rule): is there y with (N y)_z >= 0 for each zero z and (N y)_cell = sign? */
function movable(basis: number[][], zeros: number[], cell: number, sign: 1 | -1): boolean {
  const k = basis.length;
  const m = zeros.length + 1;
  // Columns: y+ (k), y- (k), one slack per zero, the artificial; then the right-hand side.
  const n = 2 * k + zeros.length + 1;
  const t: number[][] = [];
  zeros.forEach((z, r) => {
    const row = new Array<number>(n + 1).fill(0);
    for (let j = 0; j < k; j++) {
      row[j] = -basis[j]![z]!;
      row[k + j] = basis[j]![z]!;
    }
    row[2 * k + r] = 1;
    t.push(row);
  });
  const last = new Array<number>(n + 1).fill(0);
  for (let j = 0; j < k; j++) {
    last[j] = sign * basis[j]![cell]!;
    last[k + j] = -sign * basis[j]![cell]!;
  }
  last[n - 1] = 1;
  last[n] = 1;
  t.push(last);
  const basic = [...zeros.map((_, r) => 2 * k + r), n - 1];
  for (let iteration = 0; iteration < 10_000; iteration++) {
    // Minimise the artificial: its row's positive entries are the improving columns.
    const artificialRow = basic.indexOf(n - 1);
    if (artificialRow < 0 || t[artificialRow]![n]! < EPS) return true;
    let entering = -1;
    for (let j = 0; j < n - 1; j++) {
      if (t[artificialRow]![j]! > EPS) {
        entering = j;
        break;
      }
    }
    if (entering < 0) return false;
    let leave = -1;
    for (let r = 0; r < m; r++) {
      const e = t[r]![entering]!;
      if (e <= EPS) continue;
      if (leave < 0) {
        leave = r;
        continue;
      }
      const ratio = t[r]![n]! / e;
      const bestRatio = t[leave]![n]! / t[leave]![entering]!;
      if (ratio < bestRatio - EPS || (Math.abs(ratio - bestRatio) <= EPS && basic[r]! < basic[leave]!)) leave = r;
    }
    const pivot = t[leave]!;
    const p = pivot[entering]!;
    for (let j = 0; j <= n; j++) pivot[j]! /= p;
    for (let r = 0; r < m; r++) {
      if (r === leave) continue;
      const f = t[r]![entering]!;
      if (Math.abs(f) < EPS) continue;
      for (let j = 0; j <= n; j++) t[r]![j]! -= f * pivot[j]!;
    }
    basic[leave] = entering;
  }
  throw new Error('simplex did not finish');
}
