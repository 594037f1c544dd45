import { RateLimited } from "@shop/runtime";
import { and, eq, gt, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { loginAccountThrottle, loginClientThrottle } from "../../db/schema";

/**
 * Sign-in throttle (policy in the README and ADR 0009). Two counters, both reserved before
 * the password is checked, in one D1 batch, so N parallel guesses cannot all pass:
 * - per (account, client): the first `CLIENT_FREE_ATTEMPTS` attempts go straight through;
 *   after that each attempt must wait 1 s, 2 s, 4 s … (capped) after the previous one.
 *   A success deletes the pair's row; a pair idle for `CLIENT_MEMORY_MS` starts afresh.
 * - per account, across all clients: at most `ACCOUNT_MAX_ATTEMPTS` per `ACCOUNT_WINDOW_MS`.
 *   It slows (the wait is at most one short window), never locks, so an attacker on other
 *   clients cannot keep the owner out. A success gives its attempt back to the window.
 */
const CLIENT_FREE_ATTEMPTS = 5;
const CLIENT_BASE_DELAY_MS = 1_000;
export const CLIENT_MAX_DELAY_MS = 5 * 60_000;
export const CLIENT_MEMORY_MS = 15 * 60_000;
const ACCOUNT_MAX_ATTEMPTS = 10;
export const ACCOUNT_WINDOW_MS = 30_000;

/** Doubling stops here: 1 s << 20 is far past the cap already. */
const MAX_SHIFT = 20;

export type ThrottleKey = { account: string; client: string };

/**
 * The statements that reserve one attempt, for the caller's batch:
 * 1. the account window takes the attempt, unless this pair is waiting or the window is full;
 * 2. the pair takes it only if (1) did (same nonce), growing its delay; RETURNING is the verdict;
 * 3. and 4. what a refusal needs to compute its Retry-After.
 * The batch is one transaction, so (1) and (2) both happen or neither does.
 * (1) returns the window it counted in, for `releaseAccountAttemptStatement` after a success.
 */
export function reserveAttemptStatements(db: Db, { account, client }: ThrottleKey, now: number) {
  const nonce = crypto.randomUUID();
  const windowExpired = sql`login_account_throttle.window_start <= ${now - ACCOUNT_WINDOW_MS}`;
  // Columns in table order: account, window_start, attempts, nonce.
  const takeAccount = db
    .insert(loginAccountThrottle)
    .select(sql`SELECT ${account}, ${now}, 1, ${nonce}
      WHERE NOT EXISTS (
        SELECT 1 FROM login_client_throttle
        WHERE account = ${account} AND client = ${client} AND next_at > ${now}
      )`)
    .onConflictDoUpdate({
      target: loginAccountThrottle.account,
      set: {
        attempts: sql`CASE WHEN ${windowExpired} THEN 1 ELSE login_account_throttle.attempts + 1 END`,
        windowStart: sql`CASE WHEN ${windowExpired} THEN ${now} ELSE login_account_throttle.window_start END`,
        nonce,
      },
      setWhere: sql`${windowExpired} OR login_account_throttle.attempts < ${ACCOUNT_MAX_ATTEMPTS}`,
    })
    .returning({ windowStart: loginAccountThrottle.windowStart });

  // The pair's attempt count after this one: an idle pair starts again from one.
  const count = sql`(CASE WHEN login_client_throttle.updated_at <= ${now - CLIENT_MEMORY_MS} THEN 1
    ELSE login_client_throttle.failures + 1 END)`;
  // Columns in table order: account, client, failures, next_at, updated_at.
  const takeClient = db
    .insert(loginClientThrottle)
    .select(sql`SELECT ${account}, ${client}, 1, ${now}, ${now}
      WHERE EXISTS (SELECT 1 FROM login_account_throttle WHERE account = ${account} AND nonce = ${nonce})`)
    .onConflictDoUpdate({
      target: [loginClientThrottle.account, loginClientThrottle.client],
      set: {
        failures: count,
        nextAt: sql`${now} + (CASE WHEN ${count} < ${CLIENT_FREE_ATTEMPTS} THEN 0
          ELSE min(${CLIENT_MAX_DELAY_MS}, ${CLIENT_BASE_DELAY_MS} << min(${count} - ${CLIENT_FREE_ATTEMPTS}, ${MAX_SHIFT})) END)`,
        updatedAt: now,
      },
      setWhere: sql`login_client_throttle.next_at <= ${now}`,
    })
    .returning({ failures: loginClientThrottle.failures });

  const clientState = db
    .select({ nextAt: loginClientThrottle.nextAt })
    .from(loginClientThrottle)
    .where(and(eq(loginClientThrottle.account, account), eq(loginClientThrottle.client, client)));
  const accountState = db
    .select({ windowStart: loginAccountThrottle.windowStart, attempts: loginAccountThrottle.attempts })
    .from(loginAccountThrottle)
    .where(eq(loginAccountThrottle.account, account));

  return [takeAccount, takeClient, clientState, accountState] as const;
}

/**
 * After a success: give the attempt back to the account window it was counted in (if that
 * window is still the current one), so the ceiling counts failures, not the owner's sign-ins.
 */
export function releaseAccountAttemptStatement(db: Db, account: string, windowStart: number) {
  return db
    .update(loginAccountThrottle)
    .set({ attempts: sql`login_account_throttle.attempts - 1` })
    .where(
      and(
        eq(loginAccountThrottle.account, account),
        eq(loginAccountThrottle.windowStart, windowStart),
        gt(loginAccountThrottle.attempts, 0),
      ),
    );
}

export type ThrottleState = {
  client: { nextAt: number } | undefined;
  account: { windowStart: number; attempts: number } | undefined;
};

/** Seconds to wait after a refused reservation (at least 1: a refusal always says when). */
export function retryAfterSeconds({ client, account }: ThrottleState, now: number): number {
  let waitMs = 0;
  if (client && client.nextAt > now) waitMs = client.nextAt - now;
  if (account && account.attempts >= ACCOUNT_MAX_ATTEMPTS) {
    waitMs = Math.max(waitMs, account.windowStart + ACCOUNT_WINDOW_MS - now);
  }
  return Math.max(1, Math.ceil(waitMs / 1000));
}

/** 429 with Retry-After: the same for known and unknown emails (no enumeration). */
export const tooManyAttempts = (seconds: number) =>
  new RateLimited("Too many sign-in attempts; try again later.", seconds);
