import type { ReleaseResult } from "@shop/contracts";
import { eq } from "drizzle-orm";
import { reservations } from "../../db/schema";
import type { ProductsContext } from "../../env";
import { backInStock, bumpCatalogVersion, bumpedVersion } from "../catalog/bump-version";
import { orderRows, orderStatesQuery, releaseActiveStock, statesOf } from "./states";

/**
 * Gives an order's held stock back, in one batch. Idempotent: released, expired or
 * unknown orders answer ok; a committed order is refused (the goods are sold).
 */
export async function releaseReservation(ctx: ProductsContext, input: { orderId: string }): Promise<ReleaseResult> {
  const { db } = ctx;
  const { orderId } = input;
  const now = ctx.meta.now;
  const [, , bumped, states] = await db.batch([
    releaseActiveStock(db, orderId, now, false),
    db.update(reservations).set({ state: "released", updatedAt: now }).where(orderRows(orderId, "active")),
    // Cached pages move only if a product was sold out until now (ADR 0022).
    bumpCatalogVersion(db, backInStock(orderRows(orderId, "released", eq(reservations.updatedAt, now)))),
    orderStatesQuery(db, orderId),
  ]);
  bumpedVersion(bumped, now);
  const held = statesOf(states);
  if (held.has("committed")) return { ok: false, state: "committed" };
  if (held.has("released")) return { ok: true, state: "released" };
  if (held.has("expired")) return { ok: true, state: "expired" };
  return { ok: true, state: "missing" };
}
