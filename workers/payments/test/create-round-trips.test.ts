import { env } from "cloudflare:test";
import { afterEach, describe, expect, it } from "vitest";
import { drainPaymentEvents } from "../src/services/events/publish";
import { fakeStripe } from "./fakes/stripe";
import { createInput, harness } from "./helpers";

// ADR 0023: a checkout is counted in D1 round trips. `payments.create` for a card that succeeds
// synchronously costs two (the claim, the status change with its event), whichever gateway.

type Harness = ReturnType<typeof harness>;

/** D1 round trips this isolate has made so far, by the armed harness's meter. */
async function isolateTrips(h: Harness): Promise<number> {
  const res = await h.fetch("/__meters");
  const { d1RoundTrips } = (await res.json()) as { d1RoundTrips?: number };
  if (typeof d1RoundTrips !== "number") throw new Error("no D1 meter at /__meters (is the harness armed?)");
  return d1RoundTrips;
}

/** The round trips `work` made, and what it returned. */
async function counted<T>(h: Harness, work: () => Promise<T>): Promise<{ trips: number; value: T }> {
  const before = await isolateTrips(h);
  const value = await work();
  return { trips: (await isolateTrips(h)) - before, value };
}

const outboxRows = async (eventId: string | undefined) =>
  (await env.DB.prepare("SELECT count(*) AS n FROM outbox WHERE id = ?").bind(eventId).first<{ n: number }>())?.n;

let fake: ReturnType<typeof fakeStripe> | undefined;
afterEach(() => {
  fake?.restore();
  fake = undefined;
});

describe("payments.create in D1 round trips", () => {
  it("simulated gateway: a card that succeeds costs 2, and so does every create after it", async () => {
    const h = harness();
    const first = await counted(h, () => h.rpc.create(createInput()));
    expect(first.value.status).toBe("succeeded");
    expect(first.trips).toBe(2);
    // The event went out; its outbox row is left for the next batch to delete, so the next
    // create (which carries that delete) still costs 2.
    const [event] = h.events.map((e) => e.body);
    expect(event?.data).toMatchObject({ paymentId: first.value.paymentId, status: "succeeded" });
    expect(await outboxRows(event?.id)).toBe(1);
    const second = await counted(h, () => h.rpc.create(createInput()));
    expect(second).toMatchObject({ trips: 2, value: { status: "succeeded" } });
    expect(await outboxRows(event?.id)).toBe(0);
    // The gateway's own event for the synchronous success changes nothing, in one round trip.
    const consumed = await counted(h, () => h.deliver());
    expect(consumed.trips).toBe(2);
    expect(h.statuses()).toEqual(["succeeded", "succeeded"]);
  });

  it("simulated gateway: a replayed create is 1 round trip and confirms nothing again", async () => {
    const h = harness();
    const input = createInput();
    const created = await h.rpc.create(input);
    const again = await counted(h, () => h.rpc.create(input));
    expect(again).toMatchObject({ trips: 1, value: { paymentId: created.paymentId, status: "succeeded" } });
    expect(h.simulated).toHaveLength(1);
    const intents = await env.DB.prepare("SELECT count(*) AS n FROM sim_intents WHERE order_id = ?")
      .bind(input.orderId)
      .first<{ n: number }>();
    expect(intents?.n).toBe(1);
  });

  it("a payment the previous release claimed but never confirmed is confirmed under its own id, once", async () => {
    const h = harness();
    const input = createInput();
    // Its claim committed (a random id, as every release before this one drew), then it died.
    const claimedId = "pay_01jd8x3v4k2m9q7r5t6w8y0zab";
    const at = new Date().toISOString();
    await env.DB.prepare(
      `INSERT INTO payments (id, order_id, user_id, amount, currency, provider, status, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, 'simulated', 'requires_payment', ?, ?)`,
    )
      .bind(claimedId, input.orderId, input.userId, input.amount, input.currency, at, at)
      .run();
    const retried = await Promise.all([h.rpc.create(input), h.rpc.create(input)]);
    expect(retried.map((p) => [p.paymentId, p.status])).toEqual([
      [claimedId, "succeeded"],
      [claimedId, "succeeded"],
    ]);
    const intents = await env.DB.prepare("SELECT payment_id FROM sim_intents WHERE order_id = ?")
      .bind(input.orderId)
      .all();
    expect(intents.results).toEqual([{ payment_id: claimedId }]);
    expect(h.statuses()).toEqual(["succeeded"]);
  });

  it("a retry naming another amount confirms the stored payment at its own amount", async () => {
    const h = harness();
    const input = createInput({ amount: 2599 });
    const at = new Date().toISOString();
    await env.DB.prepare(
      `INSERT INTO payments (id, order_id, user_id, amount, currency, provider, status, created_at, updated_at)
       VALUES ('pay_01jd8x3v4k2m9q7r5t6w8y0zac', ?, ?, 2599, ?, 'simulated', 'requires_payment', ?, ?)`,
    )
      .bind(input.orderId, input.userId, input.currency, at, at)
      .run();
    const paid = await h.rpc.create({ ...input, amount: 999 });
    expect(paid).toMatchObject({ paymentId: "pay_01jd8x3v4k2m9q7r5t6w8y0zac", amount: 2599, status: "succeeded" });
    const intent = await env.DB.prepare("SELECT amount, idempotency_key FROM sim_intents WHERE order_id = ?")
      .bind(input.orderId)
      .first();
    expect(intent).toEqual({ amount: 2599, idempotency_key: `payment-${input.orderId}-2599-${input.currency}` });
  });

  it("Stripe (the real SDK against the fake Stripe): a card that succeeds costs 2", async () => {
    fake = fakeStripe();
    const h = harness({ STRIPE_SECRET_KEY: fake.secretKey });
    const first = await counted(h, () => h.rpc.create(createInput()));
    expect(first).toMatchObject({ trips: 2, value: { status: "succeeded" } });
    const second = await counted(h, () => h.rpc.create(createInput()));
    expect(second).toMatchObject({ trips: 2, value: { status: "succeeded" } });
    expect(h.statuses()).toEqual(["succeeded", "succeeded"]);
    expect(fake.intents.size).toBe(2);
  });

  it("the cron drain does not send again an event this isolate sent, and deletes its row", async () => {
    const h = harness();
    const created = await h.rpc.create(createInput());
    const [event] = h.events.map((e) => e.body);
    expect(await outboxRows(event?.id)).toBe(1);
    const later = harness();
    // Long after the grace period: the row is due, yet the drain deletes it before reading.
    const sent = await drainPaymentEvents(later.context().db, later.env.PAYMENT_EVENTS, Date.now() + 3_600_000);
    expect(later.events.filter((e) => e.body.data.paymentId === created.paymentId)).toEqual([]);
    expect(sent).toBe(0);
    expect(await outboxRows(event?.id)).toBe(0);
  });
});
