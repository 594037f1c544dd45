import { eq } from "drizzle-orm";
import { deliveries } from "../../db/schema";
import type { NotificationsContext } from "../../env";

export type SendResult = { ok: true; providerId: string | null } | { ok: false; retryable: boolean; error: string };

/**
 * Closes a claim: `sent`, or `failed` (retryable ones may be claimed again by a later attempt).
 * Dated when the provider answered, not when the attempt began: `sentAt` is what users see.
 */
export async function completeDelivery(
  ctx: NotificationsContext,
  input: { id: string; result: SendResult },
): Promise<void> {
  const { id, result } = input;
  const now = Date.now();
  await ctx.db
    .update(deliveries)
    .set(
      result.ok
        ? { status: "sent", providerId: result.providerId, error: null, sentAt: now, updatedAt: now }
        : { status: "failed", retryable: result.retryable, error: result.error.slice(0, 500), updatedAt: now },
    )
    .where(eq(deliveries.id, id));
}
