import { sql } from "drizzle-orm";
import { throttles } from "../../db/schema";
import type { NotificationsContext } from "../../env";

/**
 * Counts one hit in a fixed window with a single upsert (no read-then-write race) and says
 * whether it is within `limit`; `retryAfterSeconds` is when the window resets.
 */
export async function hitThrottle(
  ctx: NotificationsContext,
  input: { key: string; limit: number; windowMs: number },
): Promise<{ allowed: boolean; retryAfterSeconds: number }> {
  const { key, limit, windowMs } = input;
  const { now } = ctx.meta;
  const windowStart = now - (now % windowMs);
  const row = await ctx.db
    .insert(throttles)
    .values({ key, windowStart, count: 1 })
    .onConflictDoUpdate({
      target: throttles.key,
      set: {
        count: sql`CASE WHEN ${throttles.windowStart} = excluded.window_start THEN ${throttles.count} + 1 ELSE 1 END`,
        windowStart: sql`excluded.window_start`,
      },
    })
    .returning({ count: throttles.count })
    .get();
  return {
    allowed: (row?.count ?? 1) <= limit,
    retryAfterSeconds: Math.max(1, Math.ceil((windowStart + windowMs - now) / 1000)),
  };
}
