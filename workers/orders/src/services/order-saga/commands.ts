import type { Currency, ShipOrderBody } from "@shop/contracts";
import type { CommandResult, SagaContext } from "./context";
import type { Change } from "./types";

const invalid = (message: string) => ({ ok: false as const, code: "invalid_transition" as const, message });

/**
 * The shopper (or an admin) cancels before shipping. Awaiting payment: stop the payment and
 * release the stock. Paid: refund (deterministic key) and return the units to stock.
 */
export function cancelOrder(ctx: SagaContext, reason: string | undefined): CommandResult<null> {
  const row = ctx.store.row();
  const why = reason?.trim() || "Cancelled by the customer.";
  const base = (taken: boolean): Change => ({
    patch: { status: "cancelled", reason: why, ...(taken ? { refund_requested: 1 } : {}) },
    event: { type: "order.cancelled", detail: { reason: why, from: row.status } },
    notify: {
      type: "order.cancelled",
      data: {
        orderId: row.id,
        reason: why,
        // A payment still open is cancelled at the provider; if it turns out to have succeeded,
        // the refund email follows.
        ...(taken && row.total !== null && row.currency
          ? { refund: "refunding" as const, amount: row.total, currency: row.currency as Currency }
          : { refund: "none" as const }),
      },
    },
    doneTasks: ["expire", "commit"],
  });
  if (row.status === "awaiting_payment") {
    const taken = row.payment_status === "succeeded";
    ctx.store.apply({
      ...base(taken),
      addTasks: taken
        ? ["release", "refund", "release_promotions"]
        : ["cancel_payment", "release", "release_promotions"],
    });
    return { ok: true, value: null };
  }
  if (row.status === "paid") {
    ctx.store.apply({ ...base(true), addTasks: ["refund", "restock", "release_promotions"] });
    return { ok: true, value: null };
  }
  if (row.status === "pending") return invalid("The order is still being placed; try again in a moment.");
  return invalid(`An order that is ${row.status} cannot be cancelled.`);
}

export function shipOrder(ctx: SagaContext, body: ShipOrderBody): CommandResult<null> {
  const row = ctx.store.row();
  if (row.status !== "paid") return invalid(`Only paid orders ship; this one is ${row.status}.`);
  ctx.store.apply({
    patch: {
      status: "shipped",
      carrier: body.carrier,
      tracking_number: body.trackingNumber,
      shipped_at: ctx.now().toISOString(),
    },
    event: { type: "order.shipped", detail: { carrier: body.carrier, trackingNumber: body.trackingNumber } },
    notify: {
      type: "order.shipped",
      data: { orderId: row.id, carrier: body.carrier, trackingNumber: body.trackingNumber },
    },
  });
  return { ok: true, value: null };
}

export function deliverOrder(ctx: SagaContext): CommandResult<null> {
  const row = ctx.store.row();
  if (row.status !== "shipped") return invalid(`Only shipped orders can be delivered; this one is ${row.status}.`);
  ctx.store.apply({
    patch: { status: "delivered" },
    event: { type: "order.delivered" },
    notify: { type: "order.delivered", data: { orderId: row.id } },
  });
  return { ok: true, value: null };
}
