/** Per-account sign-in throttle: this many failures inside the window lock the account key. */
export const MAX_LOGIN_FAILURES = 5;
export const LOGIN_FAILURE_WINDOW_MS = 15 * 60_000;

/**
 * Seconds until the account may try again, or 0 when it may try now. Blocked attempts are not
 * recorded, so the lock lifts when the oldest failure in the window ages out.
 */
export function retryAfterSeconds(failures: number, oldestFailureAt: number | null, now: number): number {
  if (failures < MAX_LOGIN_FAILURES || oldestFailureAt === null) return 0;
  return Math.max(1, Math.ceil((oldestFailureAt + LOGIN_FAILURE_WINDOW_MS - now) / 1000));
}
