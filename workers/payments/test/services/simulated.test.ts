import { env } from "cloudflare:test";
import { newId } from "@shop/runtime";
import { describe, expect, it } from "vitest";
import { simulatedProvider } from "../../src/services/providers/select";
import type { SimulatedEvent } from "../../src/services/providers/simulated";
import { createInput, harness } from "../helpers";

const RETURN_URL = "http://shop.test:8787/#/orders/ord_x";

async function intentOf(paymentId: string) {
  return env.DB.prepare("SELECT id, status, client_secret FROM sim_intents WHERE payment_id = ?")
    .bind(paymentId)
    .first<{ id: string; status: string; client_secret: string }>();
}

describe("simulated gateway: Stripe's PaymentIntent state machine for its test payment methods", () => {
  it.each(["pm_card_visa", "pm_card_mastercard", "pm_card_amex"])(
    "%s succeeds in create's own answer, and Stripe's webhook follows without changing it",
    async (paymentMethod) => {
      const h = harness();
      const created = await h.rpc.create(createInput({ paymentMethod }));
      expect(created).toMatchObject({ status: "succeeded", failureMessage: null, nextAction: null });
      expect(h.statuses()).toEqual(["succeeded"]);
      expect(h.simulated.map((m) => m.body.type)).toEqual(["payment_intent.succeeded"]);
      await h.deliver();
      expect(h.statuses()).toEqual(["succeeded"]);
      expect((await intentOf(created.paymentId))?.status).toBe("succeeded");
    },
  );

  it.each([
    ["pm_card_chargeDeclined", "card_declined", "Your card was declined."],
    ["pm_card_chargeDeclinedInsufficientFunds", "insufficient_funds", "Your card has insufficient funds."],
    ["pm_card_chargeDeclinedExpiredCard", "expired_card", "Your card has expired."],
    [
      "pm_card_chargeDeclinedProcessingError",
      "processing_error",
      "An error occurred while processing your card. Try again in a little bit.",
    ],
  ])("%s is declined at once with Stripe's code %s", async (paymentMethod, failureCode, failureMessage) => {
    const h = harness();
    const created = await h.rpc.create(createInput({ paymentMethod }));
    expect(created).toMatchObject({ status: "failed", failureCode, failureMessage });
    expect(h.simulated.map((m) => m.body.type)).toEqual(["payment_intent.payment_failed"]);
    await h.deliver();
    expect(h.statuses()).toEqual(["failed"]);
  });

  it.each([
    ["pm_card_unknownThing", 2599, "resource_missing"],
    ["pm_card_visa", 49, "amount_too_small"],
  ])("%s for %i is refused before an intent exists (%s): a permanent failure", async (paymentMethod, amount, code) => {
    const h = harness();
    const created = await h.rpc.create(createInput({ paymentMethod, amount }));
    expect(created).toMatchObject({ status: "failed", failureCode: code });
    expect(h.simulated).toEqual([]);
    expect(await intentOf(created.paymentId)).toBeNull();
  });

  it("3-D Secure: requires_action with a page on our origin; approving it succeeds once", async () => {
    const h = harness();
    const created = await h.rpc.create(
      createInput({ paymentMethod: "pm_card_authenticationRequired", returnUrl: RETURN_URL }),
    );
    expect(created.status).toBe("requires_action");
    const url = new URL(created.nextAction?.url ?? "");
    expect(url.origin).toBe("http://shop.test:8787");
    expect(url.pathname).toMatch(/^\/payments\/authenticate\/pi_sim_/);
    expect(h.simulated).toEqual([]);

    const page = await h.fetch(`${url.pathname}${url.search}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("Complete authentication");
    expect(html).toContain("25.99 USD");
    expect((await h.fetch(`${url.pathname}?client_secret=${"x".repeat(32)}`)).status).toBe(404);

    const secret = url.searchParams.get("client_secret") ?? "";
    const post = (result: string, s = secret) =>
      h.fetch(url.pathname, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ result, client_secret: s }).toString(),
      });
    expect((await post("approve", "y".repeat(32))).status).toBe(404);
    const approved = await post("approve");
    expect(approved.status).toBe(303);
    expect(approved.headers.get("location")).toBe(RETURN_URL);
    // A second answer (the other button, a double click) does not move the intent again.
    expect((await post("fail")).status).toBe(303);
    expect(h.simulated.map((m) => m.body.type)).toEqual(["payment_intent.succeeded"]);
    await h.deliver();
    expect(await h.rpc.get(created.paymentId)).toMatchObject({ status: "succeeded", nextAction: null });
    expect(h.statuses()).toEqual(["requires_action", "succeeded"]);
    expect(h.events[0]?.body.data.nextAction?.url).toBe(created.nextAction?.url);
  });

  it("3-D Secure failed: the payment fails with Stripe's authentication code", async () => {
    const h = harness();
    const created = await h.rpc.create(createInput({ paymentMethod: "pm_card_authenticationRequired" }));
    const intent = await intentOf(created.paymentId);
    const outcome = await simulatedProvider(h.env).authenticate(intent?.id ?? "", intent?.client_secret ?? "", "fail");
    expect(outcome?.status).toBe("failed");
    await h.deliver();
    expect(await h.rpc.get(created.paymentId)).toMatchObject({
      status: "failed",
      failureCode: "payment_intent_authentication_failure",
    });
  });

  it("3-D Secure abandoned: cancel stops the intent at the provider, and a late approval takes nothing", async () => {
    const h = harness();
    const created = await h.rpc.create(createInput({ paymentMethod: "pm_card_authenticationRequired" }));
    expect((await h.rpc.cancel(created.paymentId))?.status).toBe("cancelled");
    const intent = await intentOf(created.paymentId);
    expect(intent?.status).toBe("canceled");
    const late = await simulatedProvider(h.env).authenticate(intent?.id ?? "", intent?.client_secret ?? "", "approve");
    expect(late?.status).toBe("cancelled");
    await h.deliver();
    expect((await h.rpc.get(created.paymentId))?.status).toBe("cancelled");
  });

  it.each([
    ["pm_usBankAccount_success", "succeeded", null],
    ["pm_usBankAccount_insufficientFunds", "failed", "insufficient_funds"],
  ])("bank debit %s: processing, then settled later by an event → %s", async (paymentMethod, status, code) => {
    const h = harness();
    const created = await h.rpc.create(createInput({ paymentMethod }));
    expect(created.status).toBe("processing");
    expect(h.simulated.map((m) => [m.body.type, m.delaySeconds ?? 0])).toEqual([
      ["payment_intent.processing", 0],
      [status === "succeeded" ? "payment_intent.succeeded" : "payment_intent.payment_failed", 2],
    ]);
    // A processing debit cannot be cancelled (Stripe refuses): cancel reports it still processing.
    expect((await h.rpc.cancel(created.paymentId))?.status).toBe("processing");
    await h.deliver();
    expect(await h.rpc.get(created.paymentId)).toMatchObject({ status, failureCode: code });
    expect(h.statuses()).toEqual(["processing", status]);
  });

  it("cancel of a payment whose create answer was lost finds the intent by order and cancels it there", async () => {
    const h = harness();
    const created = await h.rpc.create(createInput({ paymentMethod: "pm_card_authenticationRequired" }));
    await env.DB.prepare("UPDATE payments SET provider_ref = NULL WHERE id = ?").bind(created.paymentId).run();
    expect((await h.rpc.cancel(created.paymentId))?.status).toBe("cancelled");
    expect((await intentOf(created.paymentId))?.status).toBe("canceled");
  });

  it("cancel whose create answer was lost, for a card the provider already charged, reports the money", async () => {
    const h = harness();
    const input = createInput();
    const paymentId = newId("payment");
    const now = new Date().toISOString();
    await env.DB.prepare(
      "INSERT INTO payments (id, order_id, user_id, amount, currency, provider, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'simulated', 'requires_payment', ?, ?)",
    )
      .bind(paymentId, input.orderId, input.userId, input.amount, input.currency, now, now)
      .run();
    // The gateway call happened; its answer never came back.
    await simulatedProvider(h.env).confirm({
      ...input,
      paymentId,
      returnUrl: null,
      idempotencyKey: `payment-${input.orderId}-${input.amount}-${input.currency}`,
    });
    const cancelled = await h.rpc.cancel(paymentId);
    expect(cancelled?.status).toBe("succeeded");
  });

  it("a success on a payment recorded cancelled is recorded as money received, once, and announced", async () => {
    const h = harness();
    const created = await h.rpc.create(createInput({ paymentMethod: "pm_card_authenticationRequired" }));
    await h.rpc.cancel(created.paymentId);
    const intent = await intentOf(created.paymentId);
    const late: SimulatedEvent = {
      id: newId("event"),
      type: "payment_intent.succeeded",
      paymentId: created.paymentId,
      providerRef: intent?.id ?? "",
      failureMessage: null,
    };
    h.simulated.splice(0);
    await h.deliver([late, late]);
    expect(await h.rpc.get(created.paymentId)).toMatchObject({ status: "succeeded", receivedAfterClose: true });
    expect(h.statuses()).toEqual(["requires_action", "cancelled", "succeeded"]);
    expect(h.events.at(-1)?.body.data.receivedAfterClose).toBe(true);
    // Admins see it.
    const view = await env.DB.prepare("SELECT received_after_close FROM payments WHERE id = ?")
      .bind(created.paymentId)
      .first<{ received_after_close: number }>();
    expect(view?.received_after_close).toBe(1);
  });

  it("a simulated outcome never moves a payment of another provider", async () => {
    const h = harness();
    const paymentId = newId("payment");
    const now = new Date().toISOString();
    await env.DB.prepare(
      "INSERT INTO payments (id, order_id, user_id, amount, currency, provider, provider_ref, status, created_at, updated_at) VALUES (?, ?, ?, 2599, 'USD', 'stripe', 'pi_real_1', 'processing', ?, ?)",
    )
      .bind(paymentId, newId("order"), newId("user"), now, now)
      .run();
    await h.deliver([
      {
        id: newId("event"),
        type: "payment_intent.succeeded",
        paymentId,
        providerRef: "pi_real_1",
        failureMessage: null,
      },
    ]);
    expect((await h.rpc.get(paymentId))?.status).toBe("processing");
    expect(h.events).toEqual([]);
  });

  it("a redelivered outcome (same event id) is acknowledged and changes nothing", async () => {
    const h = harness();
    const created = await h.rpc.create(createInput({ paymentMethod: "pm_usBankAccount_success" }));
    const messages = h.simulated.splice(0).map((m) => m.body);
    await h.deliver(messages);
    const redelivered = await h.deliver([...messages, ...messages]);
    expect(redelivered.explicitAcks).toHaveLength(4);
    expect((await h.rpc.get(created.paymentId))?.status).toBe("succeeded");
    expect(h.statuses()).toEqual(["processing", "succeeded"]);
  });

  it("a retried create (same order) reuses the intent and charges once", async () => {
    const h = harness();
    const input = createInput();
    const first = await h.rpc.create(input);
    const again = await h.rpc.create(input);
    expect(again.paymentId).toBe(first.paymentId);
    const { results } = await env.DB.prepare("SELECT id FROM sim_intents WHERE order_id = ?").bind(input.orderId).all();
    expect(results).toHaveLength(1);
  });

  it("no card data leaves the worker: payment events and the stored payment carry no payment method", async () => {
    const h = harness();
    const created = await h.rpc.create(createInput());
    await h.deliver();
    expect(JSON.stringify(h.events)).not.toContain("pm_card");
    expect(JSON.stringify(await h.rpc.get(created.paymentId))).not.toContain("pm_card");
  });
});
