import type { Currency, PriceBreakdown, ReceiptBreakdown } from "@shop/contracts";
import { database } from "../../db/client";
import { cartStub } from "../carts/cart-key";
import { releasePromotionUses } from "../promotions/redemptions";
import type { SagaContext } from "./context";

/** payment succeeded → take the reserved units for good → `paid`; a lapsed reservation means refund. */
export async function commitTask(ctx: SagaContext): Promise<void> {
  const { store } = ctx;
  const row = store.row();
  if (row.status !== "awaiting_payment") return store.apply({ doneTasks: ["commit"] });
  const result = await ctx.env.PRODUCTS.commit(row.id, ctx.meta());
  if (result.ok) {
    const lines = store.lines();
    const breakdown = store.breakdown();
    return store.apply({
      patch: { status: "paid", reason: null },
      event: { type: "order.paid", detail: { paymentId: row.payment_id } },
      notify: {
        type: "order.confirmed",
        data: {
          orderId: row.id,
          total: { amount: row.total ?? 0, currency: row.currency as Currency },
          lines: lines.map((l) => ({
            name: l.name ?? l.product_id,
            quantity: l.quantity,
            unitPrice: { amount: l.unit_amount ?? 0, currency: (l.currency ?? row.currency) as Currency },
          })),
          ...(breakdown ? { breakdown: receiptOf(breakdown) } : {}),
        },
      },
      doneTasks: ["commit"],
    });
  }
  const reason = "The stock reservation lapsed before the payment arrived; the payment is refunded.";
  store.apply({
    patch: { status: "cancelled", reason, refund_requested: 1 },
    event: { type: "order.cancelled", detail: { reason, reservation: result.state } },
    notify: {
      type: "order.cancelled",
      data: {
        orderId: row.id,
        reason,
        ...(row.payment_id
          ? { refund: "refunding" as const, amount: row.total ?? 0, currency: row.currency as Currency }
          : { refund: "none" as const }),
      },
    },
    addTasks: ["refund", "release_promotions"],
    doneTasks: ["commit"],
  });
}

/** What the confirmation prints of the order's breakdown (ADR 0035): the order's own figures. */
export function receiptOf(b: PriceBreakdown): ReceiptBreakdown {
  return {
    subtotal: b.subtotal,
    discount: b.discountTotal,
    codes: b.discounts.flatMap((d) => (d.code ? [d.code] : [])),
    shipping: { methodId: b.shipping.methodId, name: b.shipping.name, amount: b.shipping.cost },
    tax: { amount: b.taxTotal, inclusive: b.taxAdded === 0 },
    total: b.total,
  };
}

/** Gives reserved units back. Safe to repeat; a reservation that was already committed stays sold. */
export async function releaseTask(ctx: SagaContext): Promise<void> {
  const row = ctx.store.row();
  const result = await ctx.env.PRODUCTS.release(row.id, ctx.meta());
  ctx.store.apply({
    event: { type: result.ok ? "stock.released" : "stock.release_refused", detail: { reservation: result.state } },
    doneTasks: ["release"],
  });
}

/**
 * Returns the units of a cancelled paid order to stock. Idempotent by order id on the
 * products side, so a retry after a crash puts nothing back twice; a failed call throws
 * and the alarm retries it. A hold that never became a sale has nothing to return: the
 * timeline says so and the task is done.
 */
export async function restockTask(ctx: SagaContext): Promise<void> {
  const row = ctx.store.row();
  const result = await ctx.env.PRODUCTS.restock(row.id, ctx.meta());
  ctx.store.apply({
    event: { type: result.ok ? "stock.returned" : "stock.not_returned", detail: { reservation: result.state } },
    doneTasks: ["restock"],
  });
}

/** Takes what the accepted order bought out of the shopper's cart (once per order). */
export async function clearCartTask(ctx: SagaContext): Promise<void> {
  const row = ctx.store.row();
  const lines = ctx.store
    .lines()
    .map((l) => ({ productId: l.product_id, variantId: l.variant_id, quantity: l.quantity }));
  await cartStub(ctx.env, { kind: "user", userId: row.user_id }).removeOrdered(row.id, lines);
  ctx.store.apply({ doneTasks: ["clear_cart"] });
}

/**
 * Gives back the promotion uses the order claimed when it was placed (ADR 0035): the order ended
 * without being paid, or a paid order was cancelled or refunded in full. Exactly once whatever
 * the retries: only a claimed → released transition counts (`releasePromotionUses`).
 */
export async function releasePromotionsTask(ctx: SagaContext): Promise<void> {
  const { released } = await releasePromotionUses(database(ctx.env.DB), ctx.store.row().id);
  ctx.store.apply({
    ...(released > 0 ? { event: { type: "promotions.released", detail: { released } } } : {}),
    doneTasks: ["release_promotions"],
  });
}
