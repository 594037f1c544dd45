import { afterEach, describe, expect, it } from "vitest";
import { ProviderUnavailableError } from "../../src/services/providers/provider";
import { StripeProvider } from "../../src/services/providers/stripe";
import { fakeStripe } from "../fakes/stripe";
import { createInput, harness } from "../helpers";

const KEY = "sk_test_fake";
let fake: ReturnType<typeof fakeStripe>;
afterEach(() => fake?.restore());

const confirmInput = (paymentMethod = "pm_card_visa") => ({
  paymentId: "pay_01jd8x3v4k2m9q7r5t6w8y0zab",
  orderId: "ord_01jd8x3v4k2m9q7r5t6w8y0zab",
  amount: 4250,
  currency: "EUR",
  paymentMethod,
  idempotencyKey: "payment-ord_01jd8x3v4k2m9q7r5t6w8y0zab-4250-EUR",
});

describe("Stripe adapter (real SDK against a fake Stripe API)", () => {
  it("creates and confirms a PaymentIntent with the idempotency key, amount and currency", async () => {
    fake = fakeStripe();
    const result = await new StripeProvider(KEY, { maxNetworkRetries: 0 }).confirm(confirmInput());
    expect(result).toEqual({ providerRef: "pi_fake_1", status: "succeeded", failureMessage: null });
    const [call] = fake.calls;
    expect(call?.method).toBe("POST");
    expect(call?.path).toBe("/v1/payment_intents");
    expect(call?.headers.get("idempotency-key")).toBe("payment-ord_01jd8x3v4k2m9q7r5t6w8y0zab-4250-EUR");
    expect(call?.headers.get("authorization")).toBe(`Bearer ${KEY}`);
    expect(call?.form.get("amount")).toBe("4250");
    expect(call?.form.get("currency")).toBe("eur");
    expect(call?.form.get("confirm")).toBe("true");
    expect(call?.form.get("payment_method")).toBe("pm_card_visa");
    expect(call?.form.get("metadata[paymentId]")).toBe("pay_01jd8x3v4k2m9q7r5t6w8y0zab");
  });

  it("card declined (402 card_error) → failed with the shopper-readable message, no retry", async () => {
    fake = fakeStripe();
    const provider = new StripeProvider(KEY, { maxNetworkRetries: 2 });
    expect(await provider.confirm(confirmInput("pm_card_chargeDeclined"))).toEqual({
      providerRef: "pi_fake_1",
      status: "failed",
      failureMessage: "Your card was declined.",
    });
    const other = { ...confirmInput("pm_card_chargeDeclinedInsufficientFunds"), idempotencyKey: "payment-other" };
    expect(await provider.confirm(other)).toMatchObject({
      status: "failed",
      failureMessage: "Your card has insufficient funds.",
    });
    expect(fake.calls).toHaveLength(2);
  });

  it("Stripe 5xx: retried with the same idempotency key, and succeeds when Stripe recovers", async () => {
    fake = fakeStripe();
    fake.failNext("503");
    const result = await new StripeProvider(KEY, { maxNetworkRetries: 1 }).confirm(confirmInput());
    expect(result.status).toBe("succeeded");
    expect(fake.calls).toHaveLength(2);
    expect(fake.calls[0]?.headers.get("idempotency-key")).toBe(fake.calls[1]?.headers.get("idempotency-key"));
  });

  it("Stripe 5xx that persists → ProviderUnavailableError (nothing decided)", async () => {
    fake = fakeStripe();
    fake.failNext("500");
    await expect(new StripeProvider(KEY, { maxNetworkRetries: 0 }).confirm(confirmInput())).rejects.toBeInstanceOf(
      ProviderUnavailableError,
    );
  });

  it("a request that never answers times out → ProviderUnavailableError", async () => {
    fake = fakeStripe();
    fake.failNext("hang");
    await expect(
      new StripeProvider(KEY, { maxNetworkRetries: 0, timeoutMs: 20 }).confirm(confirmInput()),
    ).rejects.toBeInstanceOf(ProviderUnavailableError);
  });

  it("cancel after the money was taken reports succeeded", async () => {
    fake = fakeStripe();
    const provider = new StripeProvider(KEY, { maxNetworkRetries: 0 });
    const { providerRef } = await provider.confirm(confirmInput());
    expect(await provider.cancel(providerRef ?? "")).toEqual({ status: "succeeded" });
    expect(fake.calls.map((c) => `${c.method} ${c.path}`)).toEqual([
      "POST /v1/payment_intents",
      "POST /v1/payment_intents/pi_fake_1/cancel",
      "GET /v1/payment_intents/pi_fake_1",
    ]);
  });

  it("refund sends the amount, the intent and an idempotency key derived from the refund id", async () => {
    fake = fakeStripe();
    const outcome = await new StripeProvider(KEY, { maxNetworkRetries: 0 }).refund({
      paymentId: "pay_01jd8x3v4k2m9q7r5t6w8y0zab",
      refundId: "ref_01jd8x3v4k2m9q7r5t6w8y0zab",
      providerRef: "pi_fake_9",
      amount: 1000,
      reason: "requested_by_customer",
    });
    expect(outcome).toEqual({ ok: true, providerRef: "re_fake_1" });
    const [call] = fake.calls;
    expect(call?.path).toBe("/v1/refunds");
    expect(call?.form.get("amount")).toBe("1000");
    expect(call?.form.get("payment_intent")).toBe("pi_fake_9");
    expect(call?.form.get("reason")).toBe("requested_by_customer");
    expect(call?.headers.get("idempotency-key")).toBe("refund-ref_01jd8x3v4k2m9q7r5t6w8y0zab");
  });
});

describe("PaymentsRpc with Stripe configured", () => {
  it("create is idempotent by order: one PaymentIntent, one key derived from order and amount", async () => {
    fake = fakeStripe();
    const h = harness({ STRIPE_SECRET_KEY: KEY });
    const input = createInput({ amount: 1999, currency: "GBP" });
    const [a, b] = await Promise.all([h.rpc.create(input), h.rpc.create(input)]);
    const again = await h.rpc.create(input);
    expect(a?.paymentId).toBe(b?.paymentId);
    expect(again).toMatchObject({ paymentId: a?.paymentId, status: "succeeded", amount: 1999, currency: "GBP" });
    const creates = fake.calls.filter((c) => c.path === "/v1/payment_intents");
    expect(new Set(creates.map((c) => c.headers.get("idempotency-key")))).toEqual(
      new Set([`payment-${input.orderId}-1999-GBP`]),
    );
    expect(fake.intents.size).toBe(1);
    expect(h.statuses()).toEqual(["succeeded"]);
  });

  it("a declined card ends failed with the message and one payment event", async () => {
    fake = fakeStripe();
    const h = harness({ STRIPE_SECRET_KEY: KEY });
    const created = await h.rpc.create(createInput({ paymentMethod: "pm_card_chargeDeclined" }));
    expect(created).toMatchObject({ status: "failed", failureMessage: "Your card was declined." });
    expect(h.events.map((e) => e.body.data)).toEqual([
      expect.objectContaining({ status: "failed", failureMessage: "Your card was declined." }),
    ]);
  });

  it("cancel racing a success at Stripe returns succeeded (money taken) and never cancelled", async () => {
    fake = fakeStripe();
    const h = harness({ STRIPE_SECRET_KEY: KEY });
    const created = await h.rpc.create(createInput());
    const cancelled = await h.rpc.cancel(created.paymentId);
    expect(cancelled?.status).toBe("succeeded");
  });
});
