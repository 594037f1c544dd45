import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { intentEvent, refundEvent, signature, stripePayment } from "../fakes/webhooks";
import { harness } from "../helpers";

const SECRET = env.STRIPE_WEBHOOK_SECRET;

async function post(h: ReturnType<typeof harness>, body: string, sig: string | null) {
  return h.fetch("/payments/webhook", {
    method: "POST",
    headers: { "content-type": "application/json", ...(sig ? { "stripe-signature": sig } : {}) },
    body,
  });
}

async function statusOf(id: string) {
  const row = await env.DB.prepare("SELECT status, failure_message FROM payments WHERE id = ?").bind(id).first();
  return row?.status;
}

describe("POST /payments/webhook", () => {
  it("a valid payment_intent.succeeded is applied once and sends one payment event", async () => {
    const h = harness();
    const p = await stripePayment();
    const body = intentEvent("payment_intent.succeeded", p);
    const res = await post(h, body, await signature(body, [SECRET]));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ received: true, result: "applied" });
    expect(await statusOf(p.id)).toBe("succeeded");
    expect(h.events.map((e) => e.body.data)).toEqual([
      expect.objectContaining({ paymentId: p.id, status: "succeeded" }),
    ]);
    // The event is recorded against the payment it moved.
    const recorded = await env.DB.prepare("SELECT payment_id FROM provider_events WHERE payment_id = ?")
      .bind(p.id)
      .first("payment_id");
    expect(recorded).toBe(p.id);
  });

  it("the same event ×5 (also concurrently): five 2xx, one state change, one payment event", async () => {
    const h = harness();
    const p = await stripePayment();
    const body = intentEvent("payment_intent.succeeded", p);
    const sig = await signature(body, [SECRET]);
    const responses = await Promise.all(Array.from({ length: 5 }, () => post(h, body, sig)));
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    const results = await Promise.all(responses.map((r) => r.json() as Promise<{ result: string }>));
    expect(results.filter((r) => r.result === "applied")).toHaveLength(1);
    expect(results.filter((r) => r.result === "duplicate")).toHaveLength(4);
    expect(h.statuses()).toEqual(["succeeded"]);
    const version = await env.DB.prepare("SELECT version FROM payments WHERE id = ?").bind(p.id).first("version");
    expect(version).toBe(2);
  });

  it("payment_failed records the shopper-readable reason", async () => {
    const h = harness();
    const p = await stripePayment({ status: "processing" });
    const body = intentEvent("payment_intent.payment_failed", p, {
      status: "requires_payment_method",
      message: "Your card has expired.",
    });
    expect((await post(h, body, await signature(body, [SECRET]))).status).toBe(200);
    const row = await env.DB.prepare("SELECT status, failure_message FROM payments WHERE id = ?").bind(p.id).first();
    expect(row).toEqual({ status: "failed", failure_message: "Your card has expired." });
  });

  it("succeeded before processing → final succeeded; a late failure does not regress it", async () => {
    const h = harness();
    const p = await stripePayment();
    for (const type of ["payment_intent.succeeded", "payment_intent.processing", "payment_intent.payment_failed"]) {
      const body = intentEvent(type, p);
      expect((await post(h, body, await signature(body, [SECRET]))).status).toBe(200);
    }
    expect(await statusOf(p.id)).toBe("succeeded");
    expect(h.statuses()).toEqual(["succeeded"]);
  });

  it.each([
    [
      "tampered body",
      async (body: string) => ({ body: body.replace("succeeded", "succeeded "), sig: await signature(body, [SECRET]) }),
    ],
    ["wrong secret", async (body: string) => ({ body, sig: await signature(body, ["whsec_someone_else"]) })],
    ["timestamp 301 s old", async (body: string) => ({ body, sig: await signature(body, [SECRET], 301) })],
    ["garbage header", async (body: string) => ({ body, sig: "t=1,v1=abc" })],
  ])("%s → 400 problem+json and no change", async (_name, build) => {
    const h = harness();
    const p = await stripePayment();
    const { body, sig } = await build(intentEvent("payment_intent.succeeded", p));
    const res = await post(h, body, sig);
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    expect(await statusOf(p.id)).toBe("requires_payment");
    expect(h.events).toHaveLength(0);
  });

  it("refunds made in the Stripe dashboard are recorded once each and move the payment to refunded", async () => {
    const h = harness();
    const p = await stripePayment({ status: "succeeded", amount: 3000 });
    const send = async (body: string) =>
      ((await (await post(h, body, await signature(body, [SECRET]))).json()) as { result: string }).result;
    const row = () => env.DB.prepare("SELECT status, amount_refunded FROM payments WHERE id = ?").bind(p.id).first();
    const refundRows = async () =>
      (
        await env.DB.prepare(
          "SELECT amount, reason, status, provider_ref FROM refunds WHERE payment_id = ? ORDER BY created_at",
        )
          .bind(p.id)
          .all()
      ).results;

    // Pending at the gateway: nothing moves yet.
    const first = { id: "re_dashboard_1", amount: 1000 };
    expect(await send(refundEvent("refund.created", p, { ...first, status: "pending" }))).toBe("no_change");
    expect(await row()).toEqual({ status: "succeeded", amount_refunded: 0 });
    // Succeeded: recorded, partially refunded, one payment event.
    expect(await send(refundEvent("refund.updated", p, { ...first, status: "succeeded" }))).toBe("applied");
    expect(await row()).toEqual({ status: "partially_refunded", amount_refunded: 1000 });
    // The same refund reported again (a new event id) counts once.
    expect(await send(refundEvent("refund.updated", p, { ...first, status: "succeeded" }))).toBe("no_change");
    // A refund we asked for ourselves settles through our refund flow, not here.
    const ours = { id: "re_ours", amount: 500, status: "succeeded", ourRefundId: "ref_01jd8x3v4k2m9q7r5t6w8y0zab" };
    expect(await send(refundEvent("refund.created", p, ours))).toBe("no_change");
    expect(await row()).toEqual({ status: "partially_refunded", amount_refunded: 1000 });
    // The rest, from the dashboard too: refunded in full.
    const rest = { id: "re_dashboard_2", amount: 2000, status: "succeeded" };
    expect(await send(refundEvent("refund.created", p, rest))).toBe("applied");
    expect(await row()).toEqual({ status: "refunded", amount_refunded: 3000 });

    expect(await refundRows()).toEqual([
      { amount: 1000, reason: "Refunded at the payment provider", status: "succeeded", provider_ref: "re_dashboard_1" },
      { amount: 2000, reason: "Refunded at the payment provider", status: "succeeded", provider_ref: "re_dashboard_2" },
    ]);
    expect(h.events.map((e) => [e.body.data.status, e.body.data.amountRefunded])).toEqual([
      ["partially_refunded", 1000],
      ["refunded", 3000],
    ]);
  });

  it("missing Stripe-Signature → 400", async () => {
    const h = harness();
    const p = await stripePayment();
    const res = await post(h, intentEvent("payment_intent.succeeded", p), null);
    expect(res.status).toBe(400);
    expect(await statusOf(p.id)).toBe("requires_payment");
  });

  it("timestamp 299 s old → accepted", async () => {
    const h = harness();
    const p = await stripePayment();
    const body = intentEvent("payment_intent.succeeded", p);
    expect((await post(h, body, await signature(body, [SECRET], 299))).status).toBe(200);
    expect(await statusOf(p.id)).toBe("succeeded");
  });

  it("secret rotation: two v1 signatures (old and new secret) → accepted; old secret alone still accepted", async () => {
    const h = harness();
    const p = await stripePayment({ status: "processing" });
    const body = intentEvent("payment_intent.succeeded", p);
    const res = await post(h, body, await signature(body, ["whsec_rotated_out_long_ago", SECRET]));
    expect(res.status).toBe(200);
    expect(await statusOf(p.id)).toBe("succeeded");

    const q = await stripePayment();
    const body2 = intentEvent("payment_intent.succeeded", q);
    expect((await post(h, body2, await signature(body2, [env.STRIPE_WEBHOOK_SECRET_PREVIOUS]))).status).toBe(200);
    expect(await statusOf(q.id)).toBe("succeeded");
  });

  it("a comma-separated STRIPE_WEBHOOK_SECRET accepts each listed secret", async () => {
    const h = harness({ STRIPE_WEBHOOK_SECRET: "whsec_new, whsec_old", STRIPE_WEBHOOK_SECRET_PREVIOUS: "" });
    const p = await stripePayment();
    const body = intentEvent("payment_intent.succeeded", p);
    expect((await post(h, body, await signature(body, ["whsec_old"]))).status).toBe(200);
    expect(await statusOf(p.id)).toBe("succeeded");
  });

  it("an event for an intent we do not know, or of a type we ignore, is acknowledged without effect", async () => {
    const h = harness();
    const body = intentEvent("payment_intent.succeeded", { id: "pay_01jd8x3v4k2m9q7r5t6w8y0zab", ref: "pi_unknown" });
    const res = await post(h, body, await signature(body, [SECRET]));
    expect(await res.json()).toEqual({ received: true, result: "unknown_payment" });
    const p = await stripePayment();
    const other = intentEvent("payment_intent.created", p);
    expect(await (await post(h, other, await signature(other, [SECRET]))).json()).toEqual({
      received: true,
      result: "no_change",
    });
    expect(h.events).toHaveLength(0);
  });

  it("without configured secrets → 503, nothing applied", async () => {
    const h = harness({ STRIPE_WEBHOOK_SECRET: "", STRIPE_WEBHOOK_SECRET_PREVIOUS: "" });
    const p = await stripePayment();
    const body = intentEvent("payment_intent.succeeded", p);
    expect((await post(h, body, await signature(body, [SECRET]))).status).toBe(503);
    expect(await statusOf(p.id)).toBe("requires_payment");
  });
});
