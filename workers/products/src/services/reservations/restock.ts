import type { RestockResult } from "@shop/contracts";
import { and, eq, sql } from "drizzle-orm";
import { inventory, reservations } from "../../db/schema";
import type { ProductsContext } from "../../env";
import { backInStock, bumpCatalogVersion, bumpedVersion } from "../catalog/bump-version";
import { heldProducts, heldQuantity, orderRows, orderStatesQuery, statesOf } from "./states";

/**
 * Puts a cancelled sale's units back on the shelf, in one batch: `on_hand` grows by each
 * committed row's quantity and the rows move committed → restocked. Both statements read
 * only `state = 'committed'` rows inside one transaction, so a concurrent or repeated call
 * finds nothing left to add: units come back exactly once. A trigger refuses any other
 * move into `restocked`. The catalog version moves only when a sold-out product comes back.
 */
export async function restockReservation(ctx: ProductsContext, input: { orderId: string }): Promise<RestockResult> {
  const { db } = ctx;
  const now = ctx.meta.now;
  const committed = orderRows(input.orderId, "committed");
  const [, , bumped, states] = await db.batch([
    db
      .update(inventory)
      .set({ onHand: sql`${inventory.onHand} + ${heldQuantity(committed)}`, updatedAt: now })
      .where(heldProducts(db, committed)),
    db.update(reservations).set({ state: "restocked", updatedAt: now }).where(committed),
    // changes() is the row count of the statement just before (the state move): only the
    // call that actually restocked bumps, and only if a product was sold out (ADR 0022).
    bumpCatalogVersion(
      db,
      and(sql`changes() > 0`, backInStock(orderRows(input.orderId, "restocked", eq(reservations.updatedAt, now)))),
    ),
    orderStatesQuery(db, input.orderId),
  ]);
  bumpedVersion(bumped, now);
  const held = statesOf(states);
  if (held.has("restocked")) return { ok: true, state: "restocked" };
  if (held.size === 0) return { ok: false, state: "missing" };
  return { ok: false, state: "not_committed" };
}
