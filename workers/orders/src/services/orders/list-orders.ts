import type { Currency, OrderPage, OrderStatus, PriceBreakdown } from "@shop/contracts";
import { beforeIdCursor, callerOf, keysetPage } from "@shop/runtime";
import { and, desc, eq, inArray, type SQL } from "drizzle-orm";
import { orderLines, orders } from "../../db/schema";
import type { OrdersContext } from "../../env";
import { withCustomers } from "./order-customers";
import { callMetaOf } from "./order-stub";
import { lineView, moneyOf, paymentView, trackingView } from "./order-view";

export type ListOrdersQuery = { limit: number; cursor?: string; status?: OrderStatus; number?: number };

/**
 * Order history from the D1 projection, newest first (order ids are ULIDs, so id order is
 * creation order), keyset pages. A customer sees their own orders; an admin sees everyone's.
 * Two round trips: the page, then its lines. Staff also see who placed each order (name and
 * email, one users call per page); customers, who only ever list their own, get no `customer`.
 */
export async function listOrders(ctx: OrdersContext, query: ListOrdersQuery): Promise<OrderPage> {
  const principal = callerOf(ctx);
  const page = await orderPage(ctx, query);
  return principal.role === "admin" ? withCustomers(ctx.env.USERS, page, callMetaOf(ctx)) : page;
}

async function orderPage(ctx: OrdersContext, query: ListOrdersQuery): Promise<OrderPage> {
  const principal = callerOf(ctx);
  const db = ctx.db;
  const filters: (SQL | undefined)[] = [beforeIdCursor(orders.id, query.cursor)];
  if (principal.role !== "admin") filters.push(eq(orders.userId, principal.userId));
  if (query.status) filters.push(eq(orders.status, query.status));
  // By number (ADR 0013): an admin finds anyone's order; a customer only ever their own.
  if (query.number !== undefined) filters.push(eq(orders.number, query.number));
  const rows = await db
    .select()
    .from(orders)
    .where(and(...filters))
    .orderBy(desc(orders.id))
    .limit(query.limit + 1);
  const { rows: page, nextCursor } = keysetPage(rows, query.limit, (r) => [r.id]);
  const lines = page.length
    ? await db
        .select()
        .from(orderLines)
        .where(
          inArray(
            orderLines.orderId,
            page.map((r) => r.id),
          ),
        )
    : [];
  return {
    items: page.map((r) => {
      const currency = r.currency as Currency | null;
      return {
        id: r.id,
        number: r.number,
        userId: r.userId,
        status: r.status as OrderStatus,
        market: r.market ?? null,
        currency,
        total: moneyOf(r.total, currency),
        itemCount: r.itemCount,
        lines: lines.filter((l) => l.orderId === r.id).map((l) => lineView({ ...l, currency: l.currency as Currency })),
        // The history keeps no authentication URL: the order itself (GET /orders/{id}) carries it.
        payment: paymentView({
          paymentId: r.paymentId,
          status: r.paymentStatus,
          amountRefunded: r.amountRefunded,
          failureMessage: r.failureMessage,
        }),
        tracking: trackingView(r.carrier, r.trackingNumber, r.shippedAt),
        paymentDeadline: r.paymentDeadline,
        reason: r.reason,
        createdAt: r.createdAt,
        updatedAt: r.updatedAt,
        breakdown: r.breakdown ? (JSON.parse(r.breakdown) as PriceBreakdown) : null,
      };
    }),
    nextCursor,
  };
}
