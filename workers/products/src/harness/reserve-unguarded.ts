import type { ReserveResult } from "@shop/contracts";
import { newId } from "@shop/runtime";
import { eq } from "drizzle-orm";
import { inventory, reservations } from "../db/schema";
import type { ProductsContext } from "../env";
import { mergeLines, productOfVariant, type ReserveInput } from "../services/reservations/reserve";

/**
 * DELIBERATELY WRONG — exists only so the correctness battery can prove it would catch an
 * oversell. Only battery builds contain it (./armed.ts, ADR 0015), and there it is reached
 * solely while the fault switch `products.reserve.unguarded` is armed. It checks stock with a read, then writes an absolute value in a
 * second round trip: the classic lost update that `reserveStock` avoids by letting the
 * database decide in one batch.
 */
export async function reserveUnguarded(ctx: ProductsContext, input: ReserveInput): Promise<ReserveResult> {
  const { db } = ctx;
  const { orderId, ttlSeconds } = input;
  const merged = mergeLines(input.lines);
  const now = Date.now();
  for (const l of merged) {
    const row = await db
      .select({ onHand: inventory.onHand, reserved: inventory.reserved })
      .from(inventory)
      .where(eq(inventory.variantId, l.variantId))
      .get();
    if (!row || row.onHand - row.reserved < l.quantity) {
      return {
        ok: false,
        code: "insufficient_stock",
        lines: [
          {
            productId: l.productId ?? "",
            variantId: l.variantId,
            requested: l.quantity,
            available: row ? row.onHand - row.reserved : 0,
            reason: "insufficient_stock",
          },
        ],
      };
    }
    // Let other requests interleave between the check and the write, as real load does.
    await new Promise((r) => setTimeout(r, 5));
    await db
      .update(inventory)
      .set({ reserved: row.reserved + l.quantity, updatedAt: now })
      .where(eq(inventory.variantId, l.variantId));
  }
  const holdId = newId("reservation");
  const [first, ...rest] = merged.map((l) =>
    db.insert(reservations).values({
      holdId,
      orderId,
      productId: productOfVariant(l),
      variantId: l.variantId,
      quantity: l.quantity,
      expiresAt: now + ttlSeconds * 1000,
      state: "active",
      createdAt: now,
      updatedAt: now,
    }),
  );
  if (first) await db.batch([first, ...rest]);
  return {
    ok: true,
    orderId,
    expiresAt: new Date(now + ttlSeconds * 1000).toISOString(),
    lines: merged.map((l) => ({ productId: l.productId ?? "", variantId: l.variantId, quantity: l.quantity })),
    replayed: false,
  };
}
