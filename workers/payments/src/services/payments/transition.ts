import type { PaymentStatus } from "@shop/contracts";
import { newId } from "@shop/runtime";
import { and, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { payments } from "../../db/schema";
import { PREDECESSORS } from "./status";

export type Transition = {
  paymentId: string;
  to: PaymentStatus;
  failureMessage?: string | null;
  providerRef?: string | null;
  traceparent?: string | undefined;
};

/**
 * The two statements of a status change, for one `db.batch` with whatever else must be atomic
 * with it: a conditional UPDATE (only from an allowed predecessor, so it cannot regress) that
 * stamps `last_change_id`, and an outbox INSERT that copies the updated row only if that stamp
 * is there, i.e. exactly when the UPDATE matched. `changeId` doubles as the event id.
 */
export function transitionStatements(db: Db, t: Transition, now = new Date().toISOString()) {
  const changeId = newId("event");
  const update = db
    .update(payments)
    .set({
      status: t.to,
      lastChangeId: changeId,
      version: sql`${payments.version} + 1`,
      updatedAt: now,
      ...(t.failureMessage !== undefined ? { failureMessage: t.failureMessage } : {}),
      ...(t.providerRef ? { providerRef: sql`coalesce(${payments.providerRef}, ${t.providerRef})` } : {}),
    })
    .where(and(eq(payments.id, t.paymentId), inArray(payments.status, [...PREDECESSORS[t.to]])));
  return { changeId, statements: [update, outboxInsert(t.paymentId, changeId, now, t.traceparent)] as const };
}

/** Snapshot of the row as the event body; inserted only when `last_change_id` carries this change. */
export function outboxInsert(paymentId: string, changeId: string, now: string, traceparent?: string) {
  return sql`
    INSERT INTO payment_events_outbox (id, payment_id, data, traceparent, created_at)
    SELECT ${changeId}, id,
      json_object('paymentId', id, 'orderId', order_id, 'userId', user_id, 'status', status,
        'amount', amount, 'currency', currency, 'amountRefunded', amount_refunded,
        'failureMessage', failure_message),
      ${traceparent ?? null}, ${now}
    FROM payments WHERE id = ${paymentId} AND last_change_id = ${changeId}`;
}
