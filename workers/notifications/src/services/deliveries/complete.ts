import { eq } from "drizzle-orm";
import type { Db } from "../../db/client";
import { deliveries } from "../../db/schema";

export type SendResult = { ok: true; providerId: string | null } | { ok: false; retryable: boolean; error: string };

/** Closes a claim: `sent`, or `failed` (retryable ones may be claimed again by a later attempt). */
export async function completeDelivery(db: Db, id: string, result: SendResult, now = Date.now()): Promise<void> {
  await db
    .update(deliveries)
    .set(
      result.ok
        ? { status: "sent", providerId: result.providerId, error: null, sentAt: now, updatedAt: now }
        : { status: "failed", retryable: result.retryable, error: result.error.slice(0, 500), updatedAt: now },
    )
    .where(eq(deliveries.id, id));
}
