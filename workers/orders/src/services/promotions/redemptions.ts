import { and, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { promotionRedemptions, promotions } from "../../db/schema";

export type ClaimResult =
  | { ok: true }
  /**
   * Nothing was claimed. `used_up`: a promotion's total limit is reached; `per_customer_limit`:
   * this customer's; `unknown_promotion`: an id that does not exist. `promotionIds`: the ones at
   * their limit when checked right after (best effort, for the message).
   */
  | { ok: false; reason: "used_up" | "per_customer_limit" | "unknown_promotion"; promotionIds: string[] };

const messageOf = (err: unknown): string => {
  const parts: string[] = [];
  for (let e: unknown = err; e && parts.length < 4; e = (e as { cause?: unknown }).cause) parts.push(String(e));
  return parts.join(" | ");
};

/**
 * Claims one use of each promotion for an order, all or nothing (ADR 0033).
 *
 * **When to call**: at placement, right after the order is priced and before its payment exists
 * (ADR 0035: the place task), with the ids in the breakdown's `discounts` (what applied) and the
 * customer who placed it. A claim that fails means a code ran out between quote and placement:
 * the order is refused 409 and nothing is charged.
 *
 * Limits are enforced by the database, not by a read-then-write here: one D1 batch (one
 * transaction, statements serialized) inserts a ledger row per promotion; a trigger refuses one
 * past the customer's limit and the counter's CHECK the one past the total limit, and either
 * rolls the whole batch back. Idempotent: the same order claiming again is a no-op (its rows
 * exist), so a retried commit never counts twice. A released order's rows stay released.
 */
export async function claimPromotionUses(
  db: Db,
  input: { orderId: string; customerId: string; promotionIds: string[] },
): Promise<ClaimResult> {
  const ids = [...new Set(input.promotionIds)].sort();
  if (ids.length === 0) return { ok: true };
  const claimedAt = new Date().toISOString();
  const inserts = ids.map((promotionId) =>
    db
      .insert(promotionRedemptions)
      .values({ promotionId, orderId: input.orderId, customerId: input.customerId, state: "claimed", claimedAt })
      .onConflictDoNothing({ target: [promotionRedemptions.promotionId, promotionRedemptions.orderId] }),
  );
  try {
    await db.batch(inserts as [(typeof inserts)[number], ...(typeof inserts)[number][]]);
    return { ok: true };
  } catch (err) {
    const message = messageOf(err);
    const reason = /promotion_per_customer_limit/.test(message)
      ? "per_customer_limit"
      : /CHECK constraint failed/i.test(message)
        ? "used_up"
        : /FOREIGN KEY constraint failed/i.test(message)
          ? "unknown_promotion"
          : null;
    if (!reason) throw err;
    return { ok: false, reason, promotionIds: await atLimit(db, ids, input.customerId) };
  }
}

async function atLimit(db: Db, ids: string[], customerId: string): Promise<string[]> {
  const rows = await db
    .select({
      id: promotions.id,
      full: sql<number>`(${promotions.usageLimit} IS NOT NULL AND ${promotions.uses} >= ${promotions.usageLimit})
        OR (${promotions.perCustomerLimit} IS NOT NULL AND (SELECT COUNT(*) FROM promotion_redemptions r
          WHERE r.promotion_id = ${promotions.id} AND r.customer_id = ${customerId} AND r.state = 'claimed')
          >= ${promotions.perCustomerLimit})`,
    })
    .from(promotions)
    .where(inArray(promotions.id, ids));
  const known = new Set(rows.map((r) => r.id));
  return [...rows.filter((r) => r.full).map((r) => r.id), ...ids.filter((id) => !known.has(id))];
}

/**
 * Gives back the uses an order claimed (ADR 0033).
 *
 * **When to call** (ADR 0035): when the order ends without being paid, and when a paid order is
 * cancelled or refunded in full (the saga's `release_promotions` task).
 * Exactly once per use whatever the retries: only the claimed → released transition gives a
 * use back (a trigger decrements the counter on it), so a second call changes nothing.
 * Returns how many uses this call gave back.
 */
export async function releasePromotionUses(db: Db, orderId: string): Promise<{ released: number }> {
  const released = await db
    .update(promotionRedemptions)
    .set({ state: "released", releasedAt: new Date().toISOString() })
    .where(and(eq(promotionRedemptions.orderId, orderId), eq(promotionRedemptions.state, "claimed")))
    .returning({ promotionId: promotionRedemptions.promotionId });
  return { released: released.length };
}
