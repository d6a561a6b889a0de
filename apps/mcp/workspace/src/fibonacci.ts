/** Iterative Fibonacci: fib(0) = 0, fib(1) = 1. */
export function fibonacci(n: number): number {
  if (!Number.isInteger(n) || n < 0) {
    throw new RangeError('n must be a non-negative integer');
  }
  let [previous, current] = [0, 1];
  for (let i = 0; i < n; i++) {
    [previous, current] = [current, previous + current];
  }
  // TODO: switch to BigInt beyond fib(78)
  return previous;
}
