import { env } from "cloudflare:test";
import { PaymentEvent } from "@shop/contracts";
import { newId } from "@shop/runtime";
import { expect, it } from "vitest";
import { createInput, harness } from "./helpers";

// Migration 0006 (expand): code of the previous release still writes `payment_events_outbox`
// during a deploy; each such row lands in the shared outbox as the envelope it would have sent.
it("an event written to the old outbox table reaches the shared one as a valid envelope", async () => {
  const data = {
    paymentId: newId("payment"),
    orderId: newId("order"),
    userId: newId("user"),
    status: "processing",
    amount: 1200,
    currency: "USD",
    amountRefunded: 0,
    failureMessage: null,
    failureCode: null,
    nextAction: null,
    receivedAfterClose: false,
  };
  const [old1, old2] = [newId("event"), newId("event")].sort();
  const insert = env.DB.prepare(
    "INSERT INTO payment_events_outbox (id, payment_id, data, traceparent, created_at) VALUES (?, ?, ?, ?, ?)",
  );
  const traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
  await env.DB.batch([
    insert.bind(old1, data.paymentId, JSON.stringify(data), traceparent, "2026-11-29T10:00:00.000Z"),
    insert.bind(old2, data.paymentId, JSON.stringify(data), null, "2026-11-29T10:00:01.500Z"),
  ]);
  const { results } = await env.DB.prepare(
    "SELECT id, payload, created_at, attempts, next_at FROM outbox WHERE id IN (?, ?) ORDER BY id",
  )
    .bind(old1, old2)
    .all<{ id: string; payload: string; created_at: number; attempts: number; next_at: number }>();
  const at = Date.parse("2026-11-29T10:00:00.000Z");
  expect(results.map((r) => [r.id, r.created_at, r.attempts, r.next_at])).toEqual([
    [old1, at, 0, at + 30_000],
    [old2, at + 1500, 0, at + 31_500],
  ]);
  const [first, second] = results.map((r) => PaymentEvent.parse(JSON.parse(r.payload)));
  expect(first).toEqual({
    id: old1,
    version: 1,
    occurredAt: "2026-11-29T10:00:00.000Z",
    traceparent,
    type: "payment.status_changed",
    data,
  });
  expect(second && "traceparent" in second).toBe(false);
});

it("an event the new code writes is also recorded in the old table, as sent", async () => {
  const h = harness();
  const created = await h.rpc.create(createInput({ paymentMethod: "pm_usBankAccount_success" }));
  const { results } = await env.DB.prepare(
    "SELECT id, data, traceparent, created_at, sent_at FROM payment_events_outbox WHERE payment_id = ?",
  )
    .bind(created.paymentId)
    .all<{ id: string; data: string; traceparent: string | null; created_at: string; sent_at: string | null }>();
  const [event] = h.events.filter((e) => e.body.data.paymentId === created.paymentId).map((e) => e.body);
  expect(results).toEqual([
    {
      id: event?.id,
      data: JSON.stringify(event?.data),
      traceparent: event?.traceparent ?? null,
      created_at: event?.occurredAt,
      sent_at: event?.occurredAt,
    },
  ]);
  // Not copied back: the event is in the new outbox once, already sent; the next batch this
  // isolate runs (here the gateway's next event) deletes that row, and nothing writes it again.
  const copies = () => env.DB.prepare("SELECT count(*) AS n FROM outbox WHERE id = ?").bind(event?.id).first();
  expect(await copies()).toEqual({ n: 1 });
  await h.deliver();
  expect(await copies()).toEqual({ n: 0 });
});
