// How a table's columns share a width. Ids are never cut (a finding id is
// what `--dismiss` needs, a task id what every command takes); the other
// columns give way in the order the table names, each down to its minimum
// (0 hides it), and the last column takes what is left.

export interface ColumnSpec {
  /** The widest value of the column (header included). */
  natural: number;
  /** Narrowest it may become; a `whole` column never shrinks. */
  min?: number;
  /** Never cut (ids). */
  whole?: boolean;
  /** Lower gives way first; columns without it give way last, from the right. */
  giveWay?: number;
}

/** The width of each column, one space between columns, the total no wider than `width` when the minimums allow. */
export function fitColumns(columns: readonly ColumnSpec[], width: number): number[] {
  const widths = columns.map((c) => c.natural);
  const gaps = Math.max(0, columns.length - 1);
  const order = columns
    .map((c, i) => ({ i, rank: c.whole ? Infinity : c.giveWay ?? 1000 - i }))
    .filter((c) => c.rank !== Infinity)
    .sort((a, b) => a.rank - b.rank);
  let excess = widths.reduce((n, w) => n + w, 0) + gaps - width;
  for (const { i } of order) {
    if (excess <= 0) break;
    const min = Math.min(columns[i]!.min ?? 0, widths[i]!);
    const take = Math.min(excess, widths[i]! - min);
    widths[i] = widths[i]! - take;
    excess -= take;
  }
  return widths;
}

/** The widest of the values (at least `floor`). */
export function widest(values: readonly string[], floor = 0): number {
  return values.reduce((n, v) => Math.max(n, v.length), floor);
}
