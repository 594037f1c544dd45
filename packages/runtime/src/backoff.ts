/**
 * Exponential backoff, the one formula every retry in the system uses (outboxes, saga tasks,
 * queue redeliveries, in-request retries). For the `attempt`-th failure (1-based: the attempt
 * that just failed; a queue message's `attempts` is already counted this way):
 *
 *   delay = min(maxMs, baseMs × factor^(attempt − 1)) × (1 + jitter × u),  u uniform in [0, 1)
 *
 * rounded to whole milliseconds. So base, base·factor, base·factor², … up to the cap. Jitter
 * only ever lengthens the wait (by at most the `jitter` fraction), so `baseMs` stays a lower
 * bound, and retries that failed together at the cap still spread out.
 */
export type Backoff = {
  baseMs: number;
  maxMs: number;
  /** Growth per attempt (default 2). */
  factor?: number;
  /** Fraction of the delay added at random, e.g. 0.2 for up to +20 % (default 0). */
  jitter?: number;
  /** Source of `u` (default `Math.random`); tests pass a fixed one. */
  random?: () => number;
};

export function backoffMs(attempt: number, { baseMs, maxMs, factor = 2, jitter = 0, random = Math.random }: Backoff) {
  const exponent = Math.max(0, Math.floor(attempt) - 1);
  // factor^exponent may overflow to Infinity for absurd attempt counts: min() still gives the cap.
  const delay = Math.min(maxMs, baseMs * factor ** exponent);
  return Math.round(jitter > 0 ? delay * (1 + jitter * random()) : delay);
}

/** Queues refuse a `retry({ delaySeconds })` above 12 hours. */
const QUEUE_MAX_DELAY_SECONDS = 43_200;

export type QueueBackoff = Omit<Backoff, "baseMs" | "maxMs"> & { baseSeconds: number; maxSeconds: number };

/**
 * `backoffMs` in whole seconds (rounded up) for a queue message's `retry({ delaySeconds })`,
 * given the message's `attempts` (1 on its first delivery). Never above the Queues limit.
 */
export function retryDelaySeconds(attempts: number, { baseSeconds, maxSeconds, ...rest }: QueueBackoff): number {
  const ms = backoffMs(attempts, { ...rest, baseMs: baseSeconds * 1000, maxMs: maxSeconds * 1000 });
  return Math.min(QUEUE_MAX_DELAY_SECONDS, Math.ceil(ms / 1000));
}
