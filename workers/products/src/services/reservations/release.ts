import type { ReleaseResult } from "@shop/contracts";
import { eq } from "drizzle-orm";
import { reservations } from "../../db/schema";
import type { ProductsContext } from "../../env";
import { backInStock, bumpCatalogVersion, bumpedVersion } from "../catalog/bump-version";
import { orderRows, orderStatesQuery, releaseActiveStock, statesOf } from "./states";

/**
 * Gives an order's held stock back, in one batch. Idempotent: released, expired or
 * unknown orders answer ok; a committed order is refused (the goods are sold).
 * `returned` names the products whose stock this call gave back (for their cached pages).
 */
export async function releaseReservation(
  ctx: ProductsContext,
  input: { orderId: string },
): Promise<{ result: ReleaseResult; returned: string[] }> {
  const { db } = ctx;
  const { orderId } = input;
  const now = ctx.meta.now;
  const [, , bumped, states, returned] = await db.batch([
    releaseActiveStock(db, orderId, now, false),
    db.update(reservations).set({ state: "released", updatedAt: now }).where(orderRows(orderId, "active")),
    // Cached pages move only if a product was sold out until now (ADR 0022).
    bumpCatalogVersion(db, backInStock(orderRows(orderId, "released", eq(reservations.updatedAt, now)))),
    orderStatesQuery(db, orderId),
    db
      .select({ productId: reservations.productId })
      .from(reservations)
      .where(orderRows(orderId, "released", eq(reservations.updatedAt, now))),
  ]);
  bumpedVersion(bumped, now);
  const held = statesOf(states);
  const result: ReleaseResult = held.has("committed")
    ? { ok: false, state: "committed" }
    : held.has("released")
      ? { ok: true, state: "released" }
      : held.has("expired")
        ? { ok: true, state: "expired" }
        : { ok: true, state: "missing" };
  return { result, returned: returned.map((r) => r.productId) };
}
