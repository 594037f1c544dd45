import type { ReleaseResult } from "@shop/contracts";
import { and, eq, exists, sql } from "drizzle-orm";
import { reservations } from "../../db/schema";
import type { ProductsContext } from "../../env";
import { bumpCatalogVersion } from "../catalog/bump-version";
import { orderRows, orderStatesQuery, releaseActiveStock, statesOf } from "./states";

/**
 * Gives an order's held stock back, in one batch. Idempotent: released, expired or
 * unknown orders answer ok; a committed order is refused (the goods are sold).
 */
export async function releaseReservation(ctx: ProductsContext, input: { orderId: string }): Promise<ReleaseResult> {
  const { db } = ctx;
  const { orderId } = input;
  const now = ctx.meta.now;
  const [, , , states] = await db.batch([
    releaseActiveStock(db, orderId, now, false),
    db.update(reservations).set({ state: "released", updatedAt: now }).where(orderRows(orderId, "active")),
    bumpCatalogVersion(
      db,
      exists(
        db
          .select({ one: sql`1` })
          .from(reservations)
          .where(and(orderRows(orderId, "released"), eq(reservations.updatedAt, now))),
      ),
    ),
    orderStatesQuery(db, orderId),
  ]);
  const held = statesOf(states);
  if (held.has("committed")) return { ok: false, state: "committed" };
  if (held.has("released")) return { ok: true, state: "released" };
  if (held.has("expired")) return { ok: true, state: "expired" };
  return { ok: true, state: "missing" };
}
