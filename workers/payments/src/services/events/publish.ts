import { newEnvelope, type PaymentEvent, type PaymentEventData } from "@shop/contracts";
import { D1Outbox, drainOutboxStore, type OutboxRow, type OutboxStore, sendOutboxRows } from "@shop/runtime/outbox";
import { asc, inArray, lte, type SQL, sql } from "drizzle-orm";
import { atomically, type Statement } from "../../db/batch";
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

/**
 * Events this isolate has sent whose outbox rows are not deleted yet. Deleting a row right
 * after its send costs a round trip of its own; instead the next batch this isolate runs
 * (`batchForgettingSent`: the next create, the gateway's event for the same payment, the cron
 * drain) deletes them. A row is only ever listed here after the queue took its message, so no
 * event is lost: if the isolate goes away first, the rows stay and the drain sends them again
 * after their grace period (at least once; consumers de-duplicate on the envelope id).
 */
const sentNotForgotten = new Set<string>();
/** Bounds the memory; ids past it are left to the drain (sent again, harmlessly). */
const MAX_SENT_NOT_FORGOTTEN = 1_000;

function rememberSent(ids: readonly string[]): void {
  for (const id of ids) if (sentNotForgotten.size < MAX_SENT_NOT_FORGOTTEN) sentNotForgotten.add(id);
}

/**
 * Runs `statements` as one atomic batch (`atomically`) that also deletes the outbox rows of
 * events this isolate already sent; the results are the statements' own, in order. The deletes
 * commit with the batch or not at all: a batch that fails (a duplicate gateway event, say)
 * gives them back for the next one.
 */
export async function batchForgettingSent(db: Db, statements: readonly Statement[]): Promise<D1Result[]> {
  const ids = [...sentNotForgotten];
  if (ids.length === 0) return atomically(db, statements);
  for (const id of ids) sentNotForgotten.delete(id);
  // One bound parameter for any number of ids (D1 binds at most 100 per statement).
  const forget = sql`DELETE FROM ${outbox} WHERE ${outbox.id} IN (SELECT value FROM json_each(${JSON.stringify(ids)}))`;
  try {
    // First, so that a read later in the batch (the drain's) no longer sees them.
    return (await atomically(db, [forget, ...statements])).slice(1);
  } catch (err) {
    rememberSent(ids);
    throw err;
  }
}

/**
 * The outbox store of this worker's sends: due rows are read in a batch that first deletes what
 * this isolate sent, so a drain does not send those again; with `deferDeletes` (the sends right
 * after a change) a delivered row is remembered for the next batch to delete (above) instead of
 * deleted in a round trip of its own.
 */
function outboxStore(db: Db, deferDeletes: boolean): OutboxStore {
  const store = paymentEventsOutbox.store(db);
  return {
    ...store,
    due: async (now, limit) => {
      const [due] = await batchForgettingSent(db, [
        db
          .select(paymentEventsOutbox.returned)
          .from(outbox)
          .where(lte(outbox.nextAt, now))
          .orderBy(asc(outbox.nextAt))
          .limit(limit),
      ]);
      return (due?.results ?? []) as OutboxRow[];
    },
    delivered: deferDeletes ? rememberSent : store.delivered,
  };
}

/**
 * Sends rows a batch just wrote and read back (`changedEventsSelect`). Never throws, like
 * `publishChanges`. No round trip when the queue takes them: their rows are deleted by the next
 * batch (`batchForgettingSent`); a refused send is rescheduled with backoff as before.
 */
export async function publishRows(db: Db, queue: Queue<PaymentEvent>, rows: readonly OutboxRow[]): Promise<void> {
  await sendOutboxRows(outboxStore(db, true), queue, rows, Date.now(), paymentEventsOutbox.policy);
}

/**
 * The cron's drain: sends every due row (one batch), read in the batch that deletes the rows
 * this isolate already sent, and deletes what it sent at once. Returns how many were sent.
 */
export function drainPaymentEvents(db: Db, queue: Queue<PaymentEvent>, now = Date.now()): Promise<number> {
  return drainOutboxStore(outboxStore(db, false), queue, now, paymentEventsOutbox.policy);
}

/**
 * Sends the events of these changes right after the batch that wrote them. Never throws: the
 * status change is already durable and the cron drain sends a refused event later (consumers
 * de-duplicate on the envelope id).
 */
export async function publishChanges(db: Db, queue: Queue<PaymentEvent>, changeIds: string[]): Promise<void> {
  await paymentEventsOutbox.sendIds(db, queue, changeIds);
}
