// The spread of one figure over a model's K runs (compare --runs K): the mean
// the table leads with, and the lowest and highest run, so a model that passed
// 5 tasks once and 1 task once does not pass for a steady 3.

export interface Spread {
  /** How many runs gave a value. */
  n: number;
  mean?: number;
  min?: number;
  max?: number;
}

export function sortedSummary(values: readonly number[]): Spread {
  if (values.length === 0) return { n: 0 };
  const sum = values.reduce((s, v) => s + v, 0);
  return { n: values.length, mean: sum / values.length, min: Math.min(...values), max: Math.max(...values) };
}

/**
 * A table cell: "3" for one run or no spread, "3.5 (3–4)" over several.
 * `format` writes one value (integers stay integers unless a mean makes them fractional).
 */
export function spreadCell(s: Spread, format: (v: number) => string = countText): string {
  if (s.n === 0 || s.mean === undefined) return "–";
  if (s.n === 1 || s.min === s.max) return format(s.mean);
  return `${format(s.mean)} (${format(s.min!)}–${format(s.max!)})`;
}

function countText(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toFixed(1);
}
