import { newEnvelope, type PaymentEvent, type PaymentEventData } from "@shop/contracts";
import { log } from "@shop/runtime";
import { and, asc, eq, inArray, isNull, lt } from "drizzle-orm";
import type { Db } from "../../db/client";
import { paymentEventsOutbox } from "../../db/schema";

type Row = typeof paymentEventsOutbox.$inferSelect;

function envelope(row: Row): PaymentEvent {
  return newEnvelope<PaymentEvent>(
    { id: row.id, occurredAt: row.createdAt, traceparent: row.traceparent },
    { type: "payment.status_changed", data: JSON.parse(row.data) as PaymentEventData },
  );
}

async function send(db: Db, queue: Queue<PaymentEvent>, rows: Row[]): Promise<number> {
  if (!rows.length) return 0;
  await queue.sendBatch(rows.map((row) => ({ body: envelope(row), contentType: "json" as const })));
  await db
    .update(paymentEventsOutbox)
    .set({ sentAt: new Date().toISOString() })
    .where(
      inArray(
        paymentEventsOutbox.id,
        rows.map((r) => r.id),
      ),
    );
  return rows.length;
}

/**
 * Sends the given outbox rows right after the batch that wrote them. A failure here is
 * logged, not thrown: the status change is already durable and the cron drain sends it later
 * (consumers de-duplicate on the envelope id).
 */
export async function publishChanges(db: Db, queue: Queue<PaymentEvent>, changeIds: string[]): Promise<void> {
  if (!changeIds.length) return;
  try {
    const rows = await db
      .select()
      .from(paymentEventsOutbox)
      .where(and(inArray(paymentEventsOutbox.id, changeIds), isNull(paymentEventsOutbox.sentAt)))
      .orderBy(asc(paymentEventsOutbox.id));
    await send(db, queue, rows);
  } catch (err) {
    log("warn", { worker: "payments", msg: "payment event not sent yet; the drain retries", error: String(err) });
  }
}

/** Cron: sends what was not sent right away (older than `graceMs`, so it does not race publishChanges). */
export async function drainOutbox(db: Db, queue: Queue<PaymentEvent>, graceMs = 30_000): Promise<number> {
  const before = new Date(Date.now() - graceMs).toISOString();
  const rows = await db
    .select()
    .from(paymentEventsOutbox)
    .where(and(isNull(paymentEventsOutbox.sentAt), lt(paymentEventsOutbox.createdAt, before)))
    .orderBy(asc(paymentEventsOutbox.createdAt))
    .limit(100);
  return send(db, queue, rows);
}

export async function outboxRow(db: Db, id: string): Promise<Row | undefined> {
  return db.select().from(paymentEventsOutbox).where(eq(paymentEventsOutbox.id, id)).get();
}
