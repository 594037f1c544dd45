/**
 * Integer money arithmetic for pricing (ADR 0028). Products of amounts and rates can pass 2^53,
 * so they are formed as bigints; every result is back in safe-integer minor units.
 */

/** n / d rounded half up (half away from zero; n, d ≥ 0): commercial rounding, as tax authorities ask. */
export function divideHalfUp(n: bigint, d: bigint): number {
  const q = n / d;
  return Number(2n * (n % d) >= d ? q + 1n : q);
}

/**
 * Splits `total` into parts proportional to `weights` that sum to exactly `total` (largest
 * remainder / Hamilton): each part is the floor of its share, and the units left over go to the
 * largest remainders, ties to the smaller key, so the split depends on no input order. With
 * `total ≤ Σ weights`, no part exceeds its weight.
 */
export function allocateLargestRemainder(total: number, weights: number[], keys: string[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum === 0) {
    if (total !== 0) throw new RangeError("cannot allocate an amount over zero weights");
    return weights.map(() => 0);
  }
  const t = BigInt(total);
  const w = BigInt(sum);
  const parts = weights.map((x) => Number((t * BigInt(x)) / w));
  const remainders = weights.map((x) => (t * BigInt(x)) % w);
  let left = total - parts.reduce((a, b) => a + b, 0);
  const order = weights
    .map((_, i) => i)
    .sort((a, b) => {
      const ra = remainders[a] as bigint;
      const rb = remainders[b] as bigint;
      if (ra !== rb) return ra > rb ? -1 : 1;
      return (keys[a] as string) < (keys[b] as string) ? -1 : 1;
    });
  for (const i of order) {
    if (left === 0) break;
    parts[i] = (parts[i] as number) + 1;
    left -= 1;
  }
  return parts;
}
