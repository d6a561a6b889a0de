export interface Statistics {
  count: number;
  sum: number;
  mean: number;
  median: number;
  /** Sample standard deviation (n - 1); 0 for a single value. */
  stdev: number;
  min: number;
  max: number;
}

/** One sort and two passes; the caller bounds the list length. */
export function describeValues(values: readonly number[]): Statistics {
  const sorted = [...values].sort((a, b) => a - b);
  const count = sorted.length;
  const sum = sorted.reduce((total, value) => total + value, 0);
  const mean = sum / count;
  const middle = Math.floor(count / 2);
  const median = count % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  const squares = sorted.reduce((total, value) => total + (value - mean) ** 2, 0);
  const stdev = count > 1 ? Math.sqrt(squares / (count - 1)) : 0;
  return { count, sum, mean, median, stdev, min: sorted[0], max: sorted[count - 1] };
}
