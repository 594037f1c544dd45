/** Queue retry delay for the n-th attempt (1-based): 10 s, 20 s, 40 s, … capped at 15 min. */
export function retryDelaySeconds(attempts: number): number {
  return Math.min(10 * 2 ** Math.max(0, attempts - 1), 900);
}
