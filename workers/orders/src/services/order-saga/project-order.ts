import type { Order } from "@shop/contracts";
import { and, eq, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { orderEvents, orderLines, orders } from "../../db/schema";
import type { Projected } from "./store";

/**
 * Writes the order's current state into the D1 history, in one batch, and only what changed
 * since `since` (what an earlier projection wrote): the order row, the timeline entries after
 * `since.seq`, and the lines until they were written priced. Idempotent and monotonic: the row
 * is only overwritten by a higher version, lines and timeline entries are keyed, so a replay
 * or a late retry of an older drain never moves the history backwards. Returns what the
 * history holds afterwards.
 */
export async function projectOrder(
  d1: D1Database,
  order: Order,
  version: number,
  since: Projected = { seq: 0, lines: false },
): Promise<Projected> {
  const db = drizzle(d1);
  const row = {
    id: order.id,
    number: order.number,
    userId: order.userId,
    status: order.status,
    market: order.market,
    currency: order.currency,
    total: order.total?.amount ?? null,
    itemCount: order.itemCount,
    shippingAddress: JSON.stringify(order.shippingAddress),
    paymentId: order.payment.paymentId,
    paymentStatus: order.payment.status,
    amountRefunded: order.payment.amountRefunded,
    failureMessage: order.payment.failureMessage,
    carrier: order.tracking?.carrier ?? null,
    trackingNumber: order.tracking?.trackingNumber ?? null,
    shippedAt: order.tracking?.shippedAt ?? null,
    paymentDeadline: order.paymentDeadline,
    breakdown: order.breakdown ? JSON.stringify(order.breakdown) : null,
    reason: order.reason,
    createdAt: order.createdAt,
    updatedAt: order.updatedAt,
    version,
  };
  const { id: _id, ...updatable } = row;
  const set = Object.fromEntries(
    Object.keys(updatable).map((k) => {
      const column = orders[k as keyof typeof updatable];
      // A number, once in the history, is never taken away (an order's number never changes).
      if (k === "number") return [k, sql.raw(`coalesce(excluded.${column.name}, ${column.name})`)];
      return [k, sql.raw(`excluded.${column.name}`)];
    }),
  );
  const statements = [
    db
      .insert(orders)
      .values(row)
      .onConflictDoUpdate({ target: orders.id, set, setWhere: sql`excluded.version > ${orders.version}` }),
    // Rows a release from before variants wrote for this order (variant_id '') give way to
    // the lines written now, which name their variants (ADR 0029): never both.
    ...(since.lines || order.lines.length === 0
      ? []
      : [db.delete(orderLines).where(and(eq(orderLines.orderId, order.id), eq(orderLines.variantId, "")))]),
    ...(since.lines ? [] : order.lines).map((l) =>
      db
        .insert(orderLines)
        .values({
          orderId: order.id,
          productId: l.productId,
          variantId: l.variantId,
          sku: l.sku,
          variantLabel: l.variantLabel,
          name: l.name,
          quantity: l.quantity,
          unitAmount: l.unitPrice.amount,
          currency: l.unitPrice.currency,
          lineTotal: l.lineTotal.amount,
        })
        .onConflictDoNothing(),
    ),
    ...order.timeline
      .filter((e) => e.seq > since.seq)
      .map((e) =>
        db
          .insert(orderEvents)
          .values({
            orderId: order.id,
            seq: e.seq,
            type: e.type,
            status: e.status,
            at: e.at,
            detail: e.detail ? JSON.stringify(e.detail) : null,
          })
          .onConflictDoNothing(),
      ),
  ];
  await db.batch(statements as unknown as Parameters<typeof db.batch>[0]);
  return {
    seq: Math.max(since.seq, ...order.timeline.map((e) => e.seq)),
    // Lines are written once (ON CONFLICT DO NOTHING): until they carry prices, write them again.
    lines: since.lines || order.total !== null,
  };
}
