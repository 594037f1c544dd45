import type { CommitResult } from "@shop/contracts";
import { and, eq, lte, sql } from "drizzle-orm";
import { inventory, reservations } from "../../db/schema";
import type { ProductsContext } from "../../env";
import { backInStock, bumpCatalogVersion, bumpedVersion } from "../catalog/bump-version";
import { heldProducts, heldQuantity, orderRows, orderStatesQuery, releaseActiveStock, statesOf } from "./states";

/**
 * Turns an order's hold into a sale, in one batch: `on_hand` and `reserved` both drop.
 * A hold past its expiry counts as expired even if the sweeper has not run yet: its
 * stock goes back in the same batch and the caller learns `expired` (and must refund).
 * Repeating a commit is harmless: nothing is active any more, the state answers.
 */
export async function commitReservation(ctx: ProductsContext, input: { orderId: string }): Promise<CommitResult> {
  const { db } = ctx;
  const { orderId } = input;
  const now = ctx.meta.now;
  const active = orderRows(orderId, "active");
  const [, , bumped, , , states] = await db.batch([
    releaseActiveStock(db, orderId, now, true),
    db
      .update(reservations)
      .set({ state: "expired", updatedAt: now })
      .where(and(active, lte(reservations.expiresAt, now))),
    // A sale leaves availability as it was; an expired hold's stock coming back to a
    // sold-out product is the one change cached pages must see (ADR 0022).
    bumpCatalogVersion(db, backInStock(orderRows(orderId, "expired", eq(reservations.updatedAt, now)))),
    db
      .update(inventory)
      .set({
        onHand: sql`${inventory.onHand} - ${heldQuantity(active)}`,
        reserved: sql`${inventory.reserved} - ${heldQuantity(active)}`,
        updatedAt: now,
      })
      .where(heldProducts(db, active)),
    db.update(reservations).set({ state: "committed", updatedAt: now }).where(active),
    orderStatesQuery(db, orderId),
  ]);
  bumpedVersion(bumped, now);
  const held = statesOf(states);
  if (held.has("committed")) return { ok: true, state: "committed" };
  if (held.has("expired")) return { ok: false, state: "expired" };
  if (held.has("released")) return { ok: false, state: "released" };
  return { ok: false, state: "missing" };
}
