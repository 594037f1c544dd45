import type { PaymentStatus } from "@shop/contracts";
import { beforeIdCursor, keysetPage } from "@shop/runtime";
import { and, desc, eq, type SQL } from "drizzle-orm";
import type { Db } from "../../db/client";
import { payments } from "../../db/schema";
import { type PaymentRow, toView } from "./summary";

export type ListFilter = {
  viewer: { userId: string; admin: boolean };
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
export async function listPayments(db: Db, f: ListFilter) {
  const conditions: (SQL | undefined)[] = [beforeIdCursor(payments.id, f.cursor)];
  if (!f.viewer.admin) conditions.push(eq(payments.userId, f.viewer.userId));
  else if (f.userId) conditions.push(eq(payments.userId, f.userId));
  if (f.status) conditions.push(eq(payments.status, f.status));
  if (f.orderId) conditions.push(eq(payments.orderId, f.orderId));
  if (f.receivedAfterClose !== undefined) {
    conditions.push(eq(payments.receivedAfterClose, f.receivedAfterClose ? 1 : 0));
  }
  const rows: PaymentRow[] = await db
    .select()
    .from(payments)
    .where(and(...conditions))
    .orderBy(desc(payments.id))
    .limit(f.limit + 1);
  const { rows: page, nextCursor } = keysetPage(rows, f.limit, (r) => [r.id]);
  return { items: page.map(toView), nextCursor };
}
