import { newEnvelope, type PaymentEvent, type PaymentEventData } from "@shop/contracts";
import { D1Outbox, type OutboxRow } from "@shop/runtime/outbox";
import { asc, inArray, type SQL, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { outbox, payments } from "../../db/schema";

/**
 * The `payment-events` queue's messages, through the runtime's D1 outbox (ADR 0007, 0019): each
 * status change writes its event in the same batch, sends it right after, and the cron drains
 * what was not sent (after 30 s, so it does not race the request; then 30 s doubling to 5 min).
 */
export const paymentEventsOutbox = new D1Outbox(outbox, {
  worker: "payments",
  graceMs: 30_000,
  retry: { baseMs: 30_000, maxMs: 300_000 },
});

/**
 * The event of change `changeId`: written only when `last_change_id` carries that change (i.e.
 * exactly when the batch's conditional UPDATE matched), its data a snapshot of the updated row.
 * `changeId` is the envelope id.
 */
export function paymentEventInsert(paymentId: string | SQL, changeId: string, now: string, traceparent?: string): SQL {
  const event = newEnvelope<PaymentEvent>(
    { id: changeId, occurredAt: now, traceparent },
    { type: "payment.status_changed", data: {} as PaymentEventData },
  );
  return paymentEventsOutbox.insertFromSql(event, Date.parse(now), {
    from: payments,
    where: sql`id = ${paymentId} AND last_change_id = ${changeId}`,
    fill: {
      "$.data": sql`json_object('paymentId', id, 'orderId', order_id, 'userId', user_id, 'status', status,
        'amount', amount, 'currency', currency, 'amountRefunded', amount_refunded,
        'failureMessage', failure_message, 'failureCode', failure_code,
        'nextAction', CASE WHEN next_action_url IS NULL THEN NULL
          ELSE json_object('type', 'redirect_to_url', 'url', next_action_url) END,
        'receivedAfterClose', CASE WHEN received_after_close = 1 THEN json('true') ELSE json('false') END)`,
    },
  });
}

/**
 * The outbox rows of these changes, as a statement to end the batch that wrote them: the
 * batch itself then says which events exist (a refused change wrote none), no second read.
 */
export function changedEventsSelect(db: Db, changeIds: string[]) {
  return db
    .select(paymentEventsOutbox.returned)
    .from(outbox)
    .where(inArray(outbox.id, changeIds))
    .orderBy(asc(outbox.id));
}

/** Sends rows a batch just wrote and read back (`changedEventsSelect`). Never throws, like `publishChanges`. */
export async function publishRows(db: Db, queue: Queue<PaymentEvent>, rows: readonly OutboxRow[]): Promise<void> {
  await paymentEventsOutbox.send(db, queue, rows);
}

/**
 * Sends the events of these changes right after the batch that wrote them. Never throws: the
 * status change is already durable and the cron drain sends a refused event later (consumers
 * de-duplicate on the envelope id).
 */
export async function publishChanges(db: Db, queue: Queue<PaymentEvent>, changeIds: string[]): Promise<void> {
  await paymentEventsOutbox.sendIds(db, queue, changeIds);
}
