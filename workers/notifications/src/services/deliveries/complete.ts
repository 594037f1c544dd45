import { eq } from "drizzle-orm";
import { deliveries } from "../../db/schema";
import type { NotificationsContext } from "../../env";

export type SendResult = { ok: true; providerId: string | null } | { ok: false; retryable: boolean; error: string };

/** One claim to close, dated when its provider answered (`sentAt` is what users see). */
export type Completion = { id: string; result: SendResult; at: number };

/**
 * Closes the claims of one delivery attempt in one D1 batch: `sent`, or `failed` (retryable
 * ones may be claimed again by a later attempt).
 */
export async function completeDeliveries(ctx: NotificationsContext, completions: Completion[]): Promise<void> {
  const { db } = ctx;
  const updates = completions.map(({ id, result, at }) =>
    db
      .update(deliveries)
      .set(
        result.ok
          ? { status: "sent", providerId: result.providerId, error: null, sentAt: at, updatedAt: at }
          : { status: "failed", retryable: result.retryable, error: result.error.slice(0, 500), updatedAt: at },
      )
      .where(eq(deliveries.id, id)),
  );
  const [first, ...rest] = updates;
  if (first) await db.batch([first, ...rest]);
}
