import type { PaymentStatus } from "@shop/contracts";
import { beforeIdCursor, callerOf, keysetPage } from "@shop/runtime";
import { and, desc, eq, type SQL } from "drizzle-orm";
import { payments } from "../../db/schema";
import type { PaymentsContext } from "../../env";
import { type PaymentRow, toView } from "./summary";

export type ListFilter = {
  limit: number;
  cursor?: string | undefined;
  status?: PaymentStatus | undefined;
  orderId?: string | undefined;
  userId?: string | undefined;
  receivedAfterClose?: boolean | undefined;
};

/**
 * Newest first, keyset-paged on the (time-sortable) id. Customers are always scoped to their own
 * payments whatever filters they send; admins may filter by status, order and user.
 */
export async function listPayments(ctx: PaymentsContext, f: ListFilter) {
  const caller = callerOf(ctx);
  const conditions: (SQL | undefined)[] = [beforeIdCursor(payments.id, f.cursor)];
  if (caller.role !== "admin") conditions.push(eq(payments.userId, caller.userId));
  else if (f.userId) conditions.push(eq(payments.userId, f.userId));
  if (f.status) conditions.push(eq(payments.status, f.status));
  if (f.orderId) conditions.push(eq(payments.orderId, f.orderId));
  if (f.receivedAfterClose !== undefined) {
    conditions.push(eq(payments.receivedAfterClose, f.receivedAfterClose ? 1 : 0));
  }
  const rows: PaymentRow[] = await ctx.db
    .select()
    .from(payments)
    .where(and(...conditions))
    .orderBy(desc(payments.id))
    .limit(f.limit + 1);
  const { rows: page, nextCursor } = keysetPage(rows, f.limit, (r) => [r.id]);
  return { items: page.map(toView), nextCursor };
}
