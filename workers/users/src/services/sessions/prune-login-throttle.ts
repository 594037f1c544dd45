import { and, lte } from "drizzle-orm";
import { loginAccountThrottle, loginClientThrottle } from "../../db/schema";
import type { UsersContext } from "../../env";
import { ACCOUNT_WINDOW_MS, CLIENT_MEMORY_MS } from "./login-throttle";

/**
 * Deletes throttle rows that can no longer affect a verdict: pairs idle past their memory and
 * no longer waiting, and account windows that have ended. One batch, run by the cron.
 */
export async function pruneLoginThrottle(ctx: UsersContext): Promise<void> {
  const { db } = ctx;
  const now = ctx.meta.now;
  await db.batch([
    db
      .delete(loginClientThrottle)
      .where(and(lte(loginClientThrottle.updatedAt, now - CLIENT_MEMORY_MS), lte(loginClientThrottle.nextAt, now))),
    db.delete(loginAccountThrottle).where(lte(loginAccountThrottle.windowStart, now - ACCOUNT_WINDOW_MS)),
  ]);
}
