import { TEST_PAYMENT_METHODS } from "@shop/contracts";
import { TEST_METHODS } from "@shop/testing/fake-stripe/methods";
import { afterEach, describe, expect, it } from "vitest";
import { type ConfirmInput, ProviderUnavailableError } from "../../src/services/providers/provider";
import { StripeProvider } from "../../src/services/providers/stripe";
import { fakeStripe } from "../fakes/stripe";
import { createInput, harness } from "../helpers";

let fake: ReturnType<typeof fakeStripe>;
afterEach(() => fake?.restore());

const confirmInput = (paymentMethod = "pm_card_visa", extra: Partial<ConfirmInput> = {}): ConfirmInput => ({
  paymentId: "pay_01jd8x3v4k2m9q7r5t6w8y0zab",
  orderId: `ord_01jd8x3v4k2m9q7r5t6w8y${Math.random().toString(36).slice(2, 6)}`,
  amount: 4250,
  currency: "USD",
  paymentMethod,
  returnUrl: null,
  idempotencyKey: `payment-${crypto.randomUUID()}`,
  ...extra,
});

const provider = (opts: { maxNetworkRetries?: number; timeoutMs?: number; key?: string } = {}) =>
  new StripeProvider(opts.key ?? fake.secretKey, { maxNetworkRetries: 0, ...opts });

const declines: Record<string, string> = TEST_PAYMENT_METHODS.declines;
const bankDebits: Record<string, string> = TEST_PAYMENT_METHODS.bankDebits;
const allMethods = [
  ...TEST_PAYMENT_METHODS.succeeds,
  ...Object.keys(declines),
  ...TEST_PAYMENT_METHODS.authenticationRequired,
  ...Object.keys(bankDebits),
];

describe("Stripe adapter: create + confirm (real SDK against the fake Stripe)", () => {
  it("the fake Stripe knows every test payment method the contract lists", () => {
    expect(allMethods.filter((pm) => !TEST_METHODS[pm])).toEqual([]);
  });

  it("sends amount, currency, confirm, method, metadata and the idempotency key; no redirects without a return URL", async () => {
    fake = fakeStripe();
    const input = confirmInput();
    const result = await provider().confirm(input);
    expect(result).toEqual({
      providerRef: expect.stringMatching(/^pi_/),
      status: "succeeded",
      failureMessage: null,
      failureCode: null,
      nextActionUrl: null,
    });
    const [call] = fake.calls;
    expect(call?.path).toBe("/v1/payment_intents");
    expect(call?.headers.get("idempotency-key")).toBe(input.idempotencyKey);
    expect(call?.headers.get("authorization")).toBe(`Bearer ${fake.secretKey}`);
    expect(Object.fromEntries(call?.form ?? [])).toMatchObject({
      amount: "4250",
      currency: "usd",
      confirm: "true",
      payment_method: "pm_card_visa",
      "automatic_payment_methods[allow_redirects]": "never",
      "metadata[paymentId]": input.paymentId,
      "metadata[orderId]": input.orderId,
    });
    expect(call?.form.has("return_url")).toBe(false);
    expect(call?.form.has("mandate_data[customer_acceptance][type]")).toBe(false);
  });

  it.each(TEST_PAYMENT_METHODS.succeeds)("%s → succeeded in create's answer", async (pm) => {
    fake = fakeStripe();
    const result = await provider().confirm(confirmInput(pm));
    expect(result.status).toBe("succeeded");
    expect(fake.intents.get(result.providerRef ?? "")?.status).toBe("succeeded");
  });

  it.each(Object.entries(declines))("%s → failed with code %s and Stripe's message, not retried", async (pm, code) => {
    fake = fakeStripe();
    const result = await provider({ maxNetworkRetries: 2 }).confirm(confirmInput(pm));
    expect(result).toEqual({
      providerRef: expect.stringMatching(/^pi_/),
      status: "failed",
      failureMessage: TEST_METHODS[pm]?.message,
      failureCode: code,
      nextActionUrl: null,
    });
    expect(fake.calls).toHaveLength(1);
  });

  it("3-D Secure with a return URL → requires_action with the bank's page; approving it succeeds", async () => {
    fake = fakeStripe();
    const stripe = provider();
    const result = await stripe.confirm(
      confirmInput("pm_card_authenticationRequired", { returnUrl: "https://shop.example/orders/ord_1" }),
    );
    expect(result).toMatchObject({ status: "requires_action", failureCode: null });
    expect(result.nextActionUrl).toBe(`https://fake-stripe.test/3ds/${result.providerRef}`);
    const form = fake.calls[0]?.form;
    expect(form?.get("return_url")).toBe("https://shop.example/orders/ord_1");
    expect(form?.has("automatic_payment_methods[allow_redirects]")).toBe(false);
    expect(await stripe.retrieve(result.providerRef ?? "")).toMatchObject({ status: "requires_action" });
    fake.control.authenticate(result.providerRef ?? "", "approve");
    expect(await stripe.retrieve(result.providerRef ?? "")).toMatchObject({ status: "succeeded" });
  });

  it("3-D Secure failed by the shopper → retrieve reports failed with Stripe's code", async () => {
    fake = fakeStripe();
    const stripe = provider();
    const { providerRef } = await stripe.confirm(
      confirmInput("pm_card_authenticationRequired", { returnUrl: "https://shop.example/back" }),
    );
    fake.control.authenticate(providerRef ?? "", "fail");
    expect(await stripe.retrieve(providerRef ?? "")).toMatchObject({
      status: "failed",
      failureCode: "payment_intent_authentication_failure",
    });
  });

  it("3-D Secure without a return URL cannot be shown: failed, and the intent is cancelled at Stripe", async () => {
    fake = fakeStripe();
    const result = await provider().confirm(confirmInput("pm_card_authenticationRequired"));
    expect(result).toMatchObject({ status: "failed", failureCode: "authentication_required", nextActionUrl: null });
    expect(fake.intents.get(result.providerRef ?? "")?.status).toBe("canceled");
  });

  it.each(Object.entries(bankDebits))("%s → processing with a mandate, settled later (%s)", async (pm, outcome) => {
    fake = fakeStripe();
    const stripe = provider();
    const result = await stripe.confirm(confirmInput(pm));
    expect(result).toMatchObject({ status: "processing", failureCode: null });
    expect(fake.calls[0]?.form.get("mandate_data[customer_acceptance][type]")).toBe("offline");
    fake.control.settle(result.providerRef ?? "");
    const settled = await stripe.retrieve(result.providerRef ?? "");
    expect(settled).toMatchObject(
      outcome === "succeeds" ? { status: "succeeded" } : { status: "failed", failureCode: outcome },
    );
  });
});

describe("Stripe adapter: permanent vs transient errors", () => {
  it.each([
    ["an unknown payment method", { paymentMethod: "pm_card_doesNotExist" }, "resource_missing"],
    ["an amount below Stripe's minimum", { amount: 20 }, "amount_too_small"],
    ["an invalid currency", { currency: "EURO" }, "parameter_invalid"],
  ] as const)("%s → failed (permanent) with Stripe's code and words for the shopper", async (_, extra, code) => {
    fake = fakeStripe();
    const result = await provider({ maxNetworkRetries: 2 }).confirm(confirmInput("pm_card_visa", extra));
    expect(result).toMatchObject({ status: "failed", providerRef: null, failureCode: code });
    expect(result.failureMessage).not.toMatch(/param|PaymentMethod|currency/);
    expect(fake.calls).toHaveLength(1);
  });

  it("the same idempotency key with other parameters → failed idempotency_error (permanent)", async () => {
    fake = fakeStripe();
    const stripe = provider();
    const input = confirmInput();
    await stripe.confirm(input);
    expect(await stripe.confirm({ ...input, amount: 5000 })).toMatchObject({
      status: "failed",
      failureCode: "idempotency_error",
    });
  });

  it("a retried confirm with the same key replays Stripe's first answer (one intent)", async () => {
    fake = fakeStripe();
    const stripe = provider();
    const input = confirmInput("pm_card_chargeDeclined");
    const [a, b] = [await stripe.confirm(input), await stripe.confirm(input)];
    expect(b).toEqual(a);
    expect(fake.intents.size).toBe(1);
  });

  it("Stripe 5xx: retried with the same idempotency key, and succeeds when Stripe recovers", async () => {
    fake = fakeStripe();
    fake.failNext("503");
    const result = await provider({ maxNetworkRetries: 1 }).confirm(confirmInput());
    expect(result.status).toBe("succeeded");
    expect(fake.calls).toHaveLength(2);
    expect(fake.calls[0]?.headers.get("idempotency-key")).toBe(fake.calls[1]?.headers.get("idempotency-key"));
  });

  it.each(["500", "429"] as const)(
    "Stripe %s that persists → ProviderUnavailableError (nothing decided)",
    async (s) => {
      fake = fakeStripe();
      fake.failNext(s);
      await expect(provider().confirm(confirmInput())).rejects.toBeInstanceOf(ProviderUnavailableError);
    },
  );

  it("a request that never answers times out → ProviderUnavailableError", async () => {
    fake = fakeStripe();
    fake.failNext("hang");
    await expect(provider({ timeoutMs: 20 }).confirm(confirmInput())).rejects.toBeInstanceOf(ProviderUnavailableError);
  });

  it("a wrong API key (401) → ProviderUnavailableError: an operator fixes the key, the payment waits", async () => {
    fake = fakeStripe();
    const err = await provider({ key: "sk_test_wrong" })
      .confirm(confirmInput())
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderUnavailableError);
    expect(fake.intents.size).toBe(0);
  });
});

describe("Stripe adapter: cancel, retrieve, findByOrder, refund", () => {
  it("cancel reports where the intent ends: cancelled, or succeeded / processing when too late", async () => {
    fake = fakeStripe();
    const stripe = provider();
    const pending = await stripe.confirm(
      confirmInput("pm_card_authenticationRequired", { returnUrl: "https://a.b/c" }),
    );
    expect(await stripe.cancel(pending.providerRef ?? "")).toEqual({ status: "cancelled" });
    const paid = await stripe.confirm(confirmInput());
    expect(await stripe.cancel(paid.providerRef ?? "")).toEqual({ status: "succeeded" });
    const debit = await stripe.confirm(confirmInput("pm_usBankAccount_success"));
    expect(await stripe.cancel(debit.providerRef ?? "")).toEqual({ status: "processing" });
    // Stripe puts the intent in the error: no second call is needed to learn its state.
    expect(fake.calls.filter((c) => c.method === "GET")).toEqual([]);
  });

  it("retrieve maps every state; an unknown intent is an error, not a state", async () => {
    fake = fakeStripe();
    const stripe = provider();
    const declined = await stripe.confirm(confirmInput("pm_card_chargeDeclinedInsufficientFunds"));
    expect(await stripe.retrieve(declined.providerRef ?? "")).toEqual({
      providerRef: declined.providerRef,
      status: "failed",
      failureMessage: "Your card has insufficient funds.",
      failureCode: "insufficient_funds",
    });
    const paid = await stripe.confirm(confirmInput());
    fake.control.force(paid.providerRef ?? "", "canceled", { silent: true });
    expect(await stripe.retrieve(paid.providerRef ?? "")).toMatchObject({ status: "cancelled" });
    await expect(stripe.retrieve("pi_missing")).rejects.toThrow(/No such payment_intent/);
  });

  it("findByOrder searches metadata['orderId'], prefers the intent that took money, null when none", async () => {
    fake = fakeStripe();
    const stripe = provider();
    const input = confirmInput("pm_card_chargeDeclined");
    await stripe.confirm(input);
    const paid = await stripe.confirm({ ...input, paymentMethod: "pm_card_visa", idempotencyKey: "payment-second" });
    expect(await stripe.findByOrder(input.orderId)).toMatchObject({
      providerRef: paid.providerRef,
      status: "succeeded",
    });
    const search = fake.calls.find((c) => c.path === "/v1/payment_intents/search");
    expect(search?.form.get("query")).toBe(`metadata['orderId']:'${input.orderId}'`);
    expect(await stripe.findByOrder("ord_nothing_here")).toBeNull();
    await expect(stripe.findByOrder("ord_' OR status:'succeeded")).rejects.toThrow(TypeError);
  });

  it("refund sends the amount, the intent and an idempotency key derived from the refund id", async () => {
    fake = fakeStripe();
    const stripe = provider();
    const paid = await stripe.confirm(confirmInput());
    const outcome = await stripe.refund({
      paymentId: "pay_01jd8x3v4k2m9q7r5t6w8y0zab",
      refundId: "ref_01jd8x3v4k2m9q7r5t6w8y0zab",
      providerRef: paid.providerRef ?? "",
      amount: 1000,
      reason: "requested_by_customer",
    });
    expect(outcome).toEqual({ ok: true, providerRef: expect.stringMatching(/^re_/) });
    const call = fake.calls.find((c) => c.path === "/v1/refunds");
    expect(call?.form.get("amount")).toBe("1000");
    expect(call?.form.get("payment_intent")).toBe(paid.providerRef);
    expect(call?.form.get("reason")).toBe("requested_by_customer");
    expect(call?.headers.get("idempotency-key")).toBe("refund-ref_01jd8x3v4k2m9q7r5t6w8y0zab");
    const tooMuch = await stripe.refund({
      paymentId: "pay_x",
      refundId: "ref_x",
      providerRef: paid.providerRef ?? "",
      amount: 4000,
      reason: "other",
    });
    expect(tooMuch).toMatchObject({ ok: false });
  });

  it("STRIPE_API_BASE points the SDK at another host; a live key refuses it", async () => {
    fake = fakeStripe({ hosts: ["127.0.0.1:12111"] });
    const viaBase = new StripeProvider(fake.secretKey, { apiBase: "http://127.0.0.1:12111", maxNetworkRetries: 0 });
    expect((await viaBase.confirm(confirmInput())).status).toBe("succeeded");
    expect(
      fake.spy.mock.calls.map(([input]) => new URL(String(input instanceof Request ? input.url : input)).origin),
    ).toEqual(["http://127.0.0.1:12111"]);
    expect(() => new StripeProvider("sk_live_x", { apiBase: "http://127.0.0.1:12111" })).toThrow(/test keys only/);
  });
});

describe("PaymentsRpc with Stripe configured", () => {
  it("create is idempotent by order: one PaymentIntent, one key derived from order and amount", async () => {
    fake = fakeStripe();
    const h = harness({ STRIPE_SECRET_KEY: fake.secretKey });
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

  it("a declined card ends failed with Stripe's message and code, and one payment event", async () => {
    fake = fakeStripe();
    const h = harness({ STRIPE_SECRET_KEY: fake.secretKey });
    const created = await h.rpc.create(createInput({ paymentMethod: "pm_card_chargeDeclinedExpiredCard" }));
    expect(created).toMatchObject({
      status: "failed",
      failureMessage: "Your card has expired.",
      failureCode: "expired_card",
    });
    expect(h.events.map((e) => e.body.data)).toEqual([
      expect.objectContaining({ status: "failed", failureMessage: "Your card has expired." }),
    ]);
  });

  it("3-D Secure: create answers requires_action with the bank page as nextAction", async () => {
    fake = fakeStripe();
    const h = harness({ STRIPE_SECRET_KEY: fake.secretKey });
    const created = await h.rpc.create(
      createInput({ paymentMethod: "pm_card_authenticationRequired", returnUrl: "https://shop.example/orders/x" }),
    );
    const [intent] = [...fake.intents.values()];
    expect(created).toMatchObject({
      status: "requires_action",
      nextAction: { type: "redirect_to_url", url: `https://fake-stripe.test/3ds/${intent?.id}` },
    });
  });

  it("cancel racing a success at Stripe returns succeeded (money taken) and never cancelled", async () => {
    fake = fakeStripe();
    const h = harness({ STRIPE_SECRET_KEY: fake.secretKey });
    const created = await h.rpc.create(createInput());
    const cancelled = await h.rpc.cancel(created.paymentId);
    expect(cancelled?.status).toBe("succeeded");
  });

  it("3-D Secure approved: Stripe's signed webhooks (each sent 3×) reach the worker and the payment succeeds once", async () => {
    let h: ReturnType<typeof harness> | null = null;
    const deliver = (async (_url: RequestInfo | URL, init?: RequestInit) => {
      if (!h) throw new Error("harness not ready");
      return h.fetch("/payments/webhook", init);
    }) as typeof fetch;
    fake = fakeStripe({
      webhookUrl: "https://payments.internal/payments/webhook",
      webhookSecret: "whsec_test_current",
      fetch: deliver,
      delivery: { duplicates: 2 },
    });
    h = harness({ STRIPE_SECRET_KEY: fake.secretKey });
    const created = await h.rpc.create(
      createInput({ paymentMethod: "pm_card_authenticationRequired", returnUrl: "https://shop.example/orders/x" }),
    );
    expect(created.status).toBe("requires_action");
    const [intent] = [...fake.intents.values()];
    fake.control.authenticate(intent?.id ?? "", "approve");
    expect(await fake.control.idle()).toBe(true);
    // Every copy is acknowledged in the end (a non-2xx answer is retried, as Stripe does).
    expect(fake.core.events.map((r) => [r.event.type, r.status, r.delivered])).toEqual([
      ["payment_intent.created", "delivered", 3],
      ["payment_intent.requires_action", "delivered", 3],
      ["payment_intent.succeeded", "delivered", 3],
    ]);
    expect((await h.rpc.get(created.paymentId))?.status).toBe("succeeded");
    expect(h.statuses()).toEqual(["requires_action", "succeeded"]);
  });
});
