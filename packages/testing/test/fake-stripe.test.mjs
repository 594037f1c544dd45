/**
 * The fake Stripe against the real `stripe` SDK: every test payment method, idempotency,
 * cancel rules, search, refunds, auth, and signed webhooks checked with `constructEvent`.
 * Run: `pnpm --filter @shop/testing test` (node --test).
 */
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { after, before, beforeEach, describe, it } from "node:test";
import Stripe from "stripe";
import { startFakeStripe } from "../src/fake-stripe.mjs";

const WHSEC = "whsec_test_fake_stripe_secret";

/** A webhook endpoint that verifies each delivery with the SDK, like the payments worker does. */
async function startReceiver() {
  /** @type {Stripe.Event[]} */
  const events = [];
  /** @type {string[]} */
  const rejected = [];
  let failNext = 0;
  const verifier = new Stripe("sk_test_unused");
  const server = createServer((req, res) => {
    const chunks = /** @type {Buffer[]} */ ([]);
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      if (failNext > 0) {
        failNext--;
        res.writeHead(500).end("try later");
        return;
      }
      try {
        const raw = Buffer.concat(chunks).toString("utf8");
        events.push(verifier.webhooks.constructEvent(raw, String(req.headers["stripe-signature"]), WHSEC));
        res.writeHead(200).end("ok");
      } catch (err) {
        rejected.push(String(err));
        res.writeHead(400).end("bad signature");
      }
    });
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", () => r(undefined)));
  const address = /** @type {import("node:net").AddressInfo} */ (server.address());
  return {
    url: `http://127.0.0.1:${address.port}/payments/webhook`,
    events,
    rejected,
    failNext: (/** @type {number} */ n) => {
      failNext = n;
    },
    /** @param {string} intent */
    typesFor: (intent) =>
      events.filter((e) => /** @type {{ id?: string }} */ (e.data.object).id === intent).map((e) => e.type),
    stop: () => new Promise((r) => server.close(() => r(undefined))),
  };
}

/** @type {Awaited<ReturnType<typeof startFakeStripe>>} */
let fake;
/** @type {Awaited<ReturnType<typeof startReceiver>>} */
let receiver;
/** @type {Stripe} */
let stripe;

/** @param {string} key @param {number} [maxNetworkRetries] */
const client = (key, maxNetworkRetries = 0) =>
  new Stripe(key, { host: "127.0.0.1", port: fake.port, protocol: "http", maxNetworkRetries, timeout: 2000 });

/** @param {Partial<Stripe.PaymentIntentCreateParams>} [extra] */
const card = (payment_method = "pm_card_visa", extra = {}) => ({
  amount: 4250,
  currency: "eur",
  payment_method,
  confirm: true,
  automatic_payment_methods: { enabled: true, allow_redirects: /** @type {const} */ ("never") },
  metadata: { orderId: `ord_${Math.random().toString(36).slice(2)}` },
  ...extra,
});

const mandate = {
  customer_acceptance: {
    type: /** @type {const} */ ("online"),
    online: { ip_address: "203.0.113.7", user_agent: "test" },
  },
};

/** Waits until `check` holds (webhooks arrive asynchronously). @param {() => boolean} check */
async function until(check, ms = 5000) {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** @param {() => Promise<unknown>} fn @returns {Promise<any>} */
async function rejection(fn) {
  try {
    await fn();
  } catch (err) {
    return err;
  }
  assert.fail("expected the call to fail");
}

before(async () => {
  receiver = await startReceiver();
  fake = await startFakeStripe({ webhookUrl: receiver.url, webhookSecret: WHSEC, settleMs: 100 });
  stripe = client(fake.secretKey);
});
after(async () => {
  await fake.stop();
  await receiver.stop();
});
beforeEach(async () => {
  await fake.control.idle();
  fake.control.setDelivery({ duplicates: 0, shuffle: false, delayMs: 0, drop: null, dropIntents: [], paused: false });
  fake.control.configure({ latencyMs: 0, searchLagMs: 0 });
});

describe("card payments", () => {
  for (const pm of ["pm_card_visa", "pm_card_mastercard", "pm_card_amex"]) {
    it(`${pm} succeeds in create's answer, then a signed payment_intent.succeeded arrives`, async () => {
      const pi = await stripe.paymentIntents.create(card(pm));
      assert.equal(pi.status, "succeeded");
      assert.equal(pi.amount_received, 4250);
      assert.match(pi.id, /^pi_[A-Za-z0-9]{24}$/);
      assert.match(String(pi.latest_charge), /^ch_/);
      await until(() => receiver.typesFor(pi.id).includes("payment_intent.succeeded"));
      await fake.control.idle();
      assert.deepEqual(receiver.typesFor(pi.id).sort(), ["payment_intent.created", "payment_intent.succeeded"]);
      const evt = receiver.events.find((e) => e.type === "payment_intent.succeeded");
      assert.equal(evt?.object, "event");
      assert.equal(evt?.livemode, false);
      assert.match(String(evt?.id), /^evt_/);
    });
  }

  const declines = {
    pm_card_chargeDeclined: ["card_declined", "generic_decline", "Your card was declined."],
    pm_card_chargeDeclinedInsufficientFunds: [
      "card_declined",
      "insufficient_funds",
      "Your card has insufficient funds.",
    ],
    pm_card_chargeDeclinedExpiredCard: ["expired_card", "expired_card", "Your card has expired."],
    pm_card_chargeDeclinedProcessingError: [
      "processing_error",
      "processing_error",
      "An error occurred while processing your card. Try again in a little bit.",
    ],
  };
  for (const [pm, [code, declineCode, message]] of Object.entries(declines)) {
    it(`${pm} → 402 card_error ${code}/${declineCode}; the intent waits for another method`, async () => {
      const err = await rejection(() => stripe.paymentIntents.create(card(pm)));
      assert.ok(err instanceof Stripe.errors.StripeCardError);
      assert.equal(err.statusCode, 402);
      assert.equal(err.code, code);
      assert.equal(err.decline_code, declineCode);
      assert.equal(err.message, message);
      const pi = await stripe.paymentIntents.retrieve(String(err.payment_intent?.id));
      assert.equal(pi.status, "requires_payment_method");
      assert.equal(pi.last_payment_error?.decline_code, declineCode);
      await until(() => receiver.typesFor(pi.id).includes("payment_intent.payment_failed"));
    });
  }

  it("3-D Secure with a return_url: requires_action, the page approves, 303 back, then succeeded", async () => {
    const pi = await stripe.paymentIntents.create(
      card("pm_card_authenticationRequired", {
        automatic_payment_methods: { enabled: true },
        return_url: "https://shop.example/orders/ord_1",
      }),
    );
    assert.equal(pi.status, "requires_action");
    assert.equal(pi.next_action?.type, "redirect_to_url");
    const target = String(pi.next_action?.redirect_to_url?.url);
    assert.equal(target, `${fake.url}/3ds/${pi.id}`);
    assert.equal(pi.next_action?.redirect_to_url?.return_url, "https://shop.example/orders/ord_1");
    const page = await (await fetch(target)).text();
    assert.match(page, /Complete authentication/);
    assert.match(page, /Fail authentication/);
    const res = await fetch(target, {
      method: "POST",
      body: new URLSearchParams({ result: "approve" }),
      redirect: "manual",
    });
    assert.equal(res.status, 303);
    const back = new URL(String(res.headers.get("location")));
    assert.equal(back.origin + back.pathname, "https://shop.example/orders/ord_1");
    assert.equal(back.searchParams.get("payment_intent"), pi.id);
    assert.equal(back.searchParams.get("redirect_status"), "succeeded");
    assert.equal((await stripe.paymentIntents.retrieve(pi.id)).status, "succeeded");
    await until(() => receiver.typesFor(pi.id).includes("payment_intent.succeeded"));
    await fake.control.idle();
    assert.deepEqual(receiver.typesFor(pi.id).sort(), [
      "payment_intent.created",
      "payment_intent.requires_action",
      "payment_intent.succeeded",
    ]);
  });

  it("3-D Secure failed on the page → requires_payment_method and payment_failed", async () => {
    const pi = await stripe.paymentIntents.create(
      card("pm_card_authenticationRequired", { return_url: "https://shop.example/back" }),
    );
    const res = await fetch(`${fake.url}/3ds/${pi.id}`, {
      method: "POST",
      body: new URLSearchParams({ result: "fail" }),
      redirect: "manual",
    });
    assert.equal(new URL(String(res.headers.get("location"))).searchParams.get("redirect_status"), "failed");
    const after = await stripe.paymentIntents.retrieve(pi.id);
    assert.equal(after.status, "requires_payment_method");
    assert.equal(after.last_payment_error?.code, "payment_intent_authentication_failure");
    await until(() => receiver.typesFor(pi.id).includes("payment_intent.payment_failed"));
  });

  it("3-D Secure without redirects allowed → use_stripe_sdk (no URL for a redirect)", async () => {
    const pi = await stripe.paymentIntents.create(card("pm_card_authenticationRequired"));
    assert.equal(pi.status, "requires_action");
    assert.equal(pi.next_action?.type, "use_stripe_sdk");
  });

  it("automatic payment methods without return_url nor allow_redirects=never are refused, as Stripe does", async () => {
    const err = await rejection(() =>
      stripe.paymentIntents.create(card("pm_card_visa", { automatic_payment_methods: { enabled: true } })),
    );
    assert.ok(err instanceof Stripe.errors.StripeInvalidRequestError);
    assert.match(err.message, /allow_redirects/);
  });
});

describe("bank debits (ACH)", () => {
  it("confirming without mandate_data is refused", async () => {
    const err = await rejection(() =>
      stripe.paymentIntents.create(card("pm_usBankAccount_success", { currency: "usd" })),
    );
    assert.ok(err instanceof Stripe.errors.StripeInvalidRequestError);
    assert.equal(err.param, "mandate_data");
  });

  it("only in usd", async () => {
    const err = await rejection(() =>
      stripe.paymentIntents.create(card("pm_usBankAccount_success", { currency: "eur", mandate_data: mandate })),
    );
    assert.equal(err.param, "currency");
  });

  it("pm_usBankAccount_success → processing, then succeeded by webhook after the settle delay", async () => {
    const pi = await stripe.paymentIntents.create(
      card("pm_usBankAccount_success", { currency: "usd", mandate_data: mandate }),
    );
    assert.equal(pi.status, "processing");
    await until(() => receiver.typesFor(pi.id).includes("payment_intent.succeeded"));
    await fake.control.idle();
    assert.deepEqual(receiver.typesFor(pi.id).sort(), [
      "payment_intent.created",
      "payment_intent.processing",
      "payment_intent.succeeded",
    ]);
    assert.equal((await stripe.paymentIntents.retrieve(pi.id)).status, "succeeded");
  });

  it("pm_usBankAccount_insufficientFunds → processing, then payment_failed (insufficient_funds)", async () => {
    fake.control.configure({ settleMs: 60_000 });
    const pi = await stripe.paymentIntents.create(
      card("pm_usBankAccount_insufficientFunds", { currency: "usd", mandate_data: mandate }),
    );
    assert.equal(pi.status, "processing");
    assert.equal(fake.control.settle(pi.id).status, "requires_payment_method");
    fake.control.configure({ settleMs: 100 });
    await until(() => receiver.typesFor(pi.id).includes("payment_intent.payment_failed"));
    const failed = receiver.events.find(
      (e) => e.type === "payment_intent.payment_failed" && /** @type {any} */ (e.data.object).id === pi.id,
    );
    assert.equal(/** @type {any} */ (failed?.data.object)?.last_payment_error?.code, "insufficient_funds");
  });
});

describe("refused requests", () => {
  it("an unknown payment method → 400 resource_missing on payment_method", async () => {
    const err = await rejection(() => stripe.paymentIntents.create(card("pm_card_doesNotExist")));
    assert.ok(err instanceof Stripe.errors.StripeInvalidRequestError);
    assert.equal(err.statusCode, 400);
    assert.equal(err.code, "resource_missing");
    assert.equal(err.param, "payment_method");
  });

  it("below the currency minimum → 400 amount_too_small", async () => {
    const err = await rejection(() =>
      stripe.paymentIntents.create(card("pm_card_visa", { amount: 49, currency: "usd" })),
    );
    assert.equal(err.code, "amount_too_small");
    assert.equal(err.param, "amount");
    assert.equal(
      (await stripe.paymentIntents.create(card("pm_card_visa", { amount: 30, currency: "gbp" }))).status,
      "succeeded",
    );
  });

  it("a wrong or missing API key → 401 StripeAuthenticationError", async () => {
    const err = await rejection(() => client("sk_test_wrong").paymentIntents.create(card()));
    assert.ok(err instanceof Stripe.errors.StripeAuthenticationError);
    assert.match(err.message, /Invalid API Key provided: sk_test_/);
    const res = await fetch(`${fake.url}/v1/payment_intents/pi_x`);
    assert.equal(res.status, 401);
  });

  it("an unknown intent → 404 resource_missing", async () => {
    const err = await rejection(() => stripe.paymentIntents.retrieve("pi_nope"));
    assert.equal(err.statusCode, 404);
    assert.equal(err.code, "resource_missing");
  });

  it("injected 503 and hangs reach the SDK as API and connection errors", async () => {
    fake.control.fail(503);
    assert.ok((await rejection(() => stripe.paymentIntents.create(card()))) instanceof Stripe.errors.StripeAPIError);
    fake.control.fail("hang");
    const slow = new Stripe(fake.secretKey, {
      host: "127.0.0.1",
      port: fake.port,
      protocol: "http",
      maxNetworkRetries: 0,
      timeout: 200,
    });
    assert.ok(
      (await rejection(() => slow.paymentIntents.create(card()))) instanceof Stripe.errors.StripeConnectionError,
    );
  });
});

describe("idempotency keys", () => {
  it("same key and params → the stored answer, marked Idempotent-Replayed", async () => {
    const params = card();
    const first = await stripe.paymentIntents.create(params, { idempotencyKey: "k-replay" });
    const again = await stripe.paymentIntents.create(params, { idempotencyKey: "k-replay" });
    assert.equal(again.id, first.id);
    assert.equal(again.lastResponse.headers["idempotent-replayed"], "true");
    assert.equal(first.lastResponse.headers["idempotent-replayed"], undefined);
    assert.equal([...fake.intents.values()].filter((pi) => pi.metadata.orderId === params.metadata.orderId).length, 1);
  });

  it("a decline is replayed too (same intent, same 402)", async () => {
    const params = card("pm_card_chargeDeclined");
    const a = await rejection(() => stripe.paymentIntents.create(params, { idempotencyKey: "k-decline" }));
    const b = await rejection(() => stripe.paymentIntents.create(params, { idempotencyKey: "k-decline" }));
    assert.equal(b.payment_intent.id, a.payment_intent.id);
    assert.equal(b.headers["idempotent-replayed"], "true");
  });

  it("a refused parameter is not stored: the key can be used again", async () => {
    await rejection(() =>
      stripe.paymentIntents.create(card("pm_card_visa", { amount: 10 }), { idempotencyKey: "k-bad" }),
    );
    assert.equal(
      (await stripe.paymentIntents.create(card("pm_card_visa", { amount: 100 }), { idempotencyKey: "k-bad" })).status,
      "succeeded",
    );
  });

  it("same key, other params → 400 idempotency_error", async () => {
    await stripe.paymentIntents.create(card("pm_card_visa"), { idempotencyKey: "k-conflict" });
    const err = await rejection(() =>
      stripe.paymentIntents.create(card("pm_card_visa", { amount: 999 }), { idempotencyKey: "k-conflict" }),
    );
    assert.ok(err instanceof Stripe.errors.StripeIdempotencyError);
    assert.equal(err.statusCode, 400);
    assert.equal(err.rawType, "idempotency_error");
  });

  it("same key while the first request runs → 409 idempotency_key_in_use (the SDK retries it)", async () => {
    fake.control.configure({ latencyMs: 300 });
    const params = card();
    const [a, b] = await Promise.allSettled([
      stripe.paymentIntents.create(params, { idempotencyKey: "k-concurrent" }),
      new Promise((r) => setTimeout(r, 50)).then(() =>
        stripe.paymentIntents.create(params, { idempotencyKey: "k-concurrent" }),
      ),
    ]);
    assert.equal(a.status, "fulfilled");
    assert.equal(b.status, "rejected");
    const err = /** @type {PromiseRejectedResult} */ (b).reason;
    assert.equal(err.statusCode, 409);
    assert.equal(err.code, "idempotency_key_in_use");
    // With retries (the SDK retries 409), the second caller gets the first's intent.
    const retrying = client(fake.secretKey, 3);
    const params2 = card();
    const [c, d] = await Promise.all([
      retrying.paymentIntents.create(params2, { idempotencyKey: "k-concurrent-2" }),
      new Promise((r) => setTimeout(r, 50)).then(() =>
        retrying.paymentIntents.create(params2, { idempotencyKey: "k-concurrent-2" }),
      ),
    ]);
    assert.equal(d.id, c.id);
  });
});

describe("cancel", () => {
  it("requires_action → canceled, with payment_intent.canceled", async () => {
    const pi = await stripe.paymentIntents.create(card("pm_card_authenticationRequired"));
    const cancelled = await stripe.paymentIntents.cancel(pi.id, { cancellation_reason: "abandoned" });
    assert.equal(cancelled.status, "canceled");
    assert.equal(cancelled.cancellation_reason, "abandoned");
    await until(() => receiver.typesFor(pi.id).includes("payment_intent.canceled"));
  });

  it("a declined intent (requires_payment_method) can be cancelled", async () => {
    const err = await rejection(() => stripe.paymentIntents.create(card("pm_card_chargeDeclined")));
    assert.equal((await stripe.paymentIntents.cancel(err.payment_intent.id)).status, "canceled");
  });

  for (const [label, pm, extra] of /** @type {const} */ ([
    ["succeeded", "pm_card_visa", {}],
    ["processing", "pm_usBankAccount_success", { currency: "usd", mandate_data: mandate }],
  ])) {
    it(`${label} → 400 payment_intent_unexpected_state with the intent in the error`, async () => {
      fake.control.configure({ settleMs: 60_000 });
      const pi = await stripe.paymentIntents.create(card(pm, extra));
      const err = await rejection(() => stripe.paymentIntents.cancel(pi.id));
      assert.ok(err instanceof Stripe.errors.StripeInvalidRequestError);
      assert.equal(err.code, "payment_intent_unexpected_state");
      assert.equal(err.payment_intent?.status, label);
      fake.control.configure({ settleMs: 100 });
      if (label === "processing") fake.control.settle(pi.id);
    });
  }

  it("force: the money arrives after a cancel (Stripe reports succeeded, with its event)", async () => {
    const pi = await stripe.paymentIntents.create(card("pm_card_authenticationRequired"));
    await stripe.paymentIntents.cancel(pi.id);
    fake.control.force(pi.id, "succeeded");
    assert.equal((await stripe.paymentIntents.retrieve(pi.id)).status, "succeeded");
    await until(() => receiver.typesFor(pi.id).includes("payment_intent.succeeded"));
  });
});

describe("search", () => {
  it("finds the intent by metadata['orderId'] (and not others)", async () => {
    const params = card();
    const pi = await stripe.paymentIntents.create(params);
    await stripe.paymentIntents.create(card());
    const found = await stripe.paymentIntents.search({ query: `metadata['orderId']:'${params.metadata.orderId}'` });
    assert.equal(found.object, "search_result");
    assert.deepEqual(
      found.data.map((p) => p.id),
      [pi.id],
    );
    const none = await stripe.paymentIntents.search({ query: "metadata['orderId']:'ord_none'" });
    assert.deepEqual(none.data, []);
  });

  it("is eventually consistent: a fresh intent is invisible during the search lag", async () => {
    fake.control.configure({ searchLagMs: 300 });
    const params = card();
    await stripe.paymentIntents.create(params);
    const query = `metadata['orderId']:'${params.metadata.orderId}' AND status:'succeeded'`;
    assert.equal((await stripe.paymentIntents.search({ query })).data.length, 0);
    await new Promise((r) => setTimeout(r, 350));
    assert.equal((await stripe.paymentIntents.search({ query })).data.length, 1);
  });

  it("an unsupported query → 400", async () => {
    const err = await rejection(() => stripe.paymentIntents.search({ query: "nonsense" }));
    assert.equal(err.param, "query");
  });
});

describe("refunds", () => {
  it("partial then the rest; never more than is left; refund.created is sent", async () => {
    const pi = await stripe.paymentIntents.create(card());
    const first = await stripe.refunds.create({
      payment_intent: pi.id,
      amount: 1000,
      reason: "requested_by_customer",
      metadata: { refundId: "ref_1" },
    });
    assert.equal(first.status, "succeeded");
    assert.equal(first.amount, 1000);
    assert.equal(first.payment_intent, pi.id);
    const tooMuch = await rejection(() => stripe.refunds.create({ payment_intent: pi.id, amount: 5000 }));
    assert.equal(tooMuch.code, "amount_too_large");
    const rest = await stripe.refunds.create({ payment_intent: pi.id });
    assert.equal(rest.amount, 3250);
    const again = await rejection(() => stripe.refunds.create({ payment_intent: pi.id }));
    assert.equal(again.code, "charge_already_refunded");
    assert.equal((await stripe.refunds.retrieve(first.id)).metadata?.refundId, "ref_1");
    await until(
      () =>
        receiver.events.filter(
          (e) => e.type === "refund.created" && /** @type {any} */ (e.data.object).payment_intent === pi.id,
        ).length === 2,
    );
  });

  it("only a succeeded intent can be refunded", async () => {
    const pi = await stripe.paymentIntents.create(card("pm_card_authenticationRequired"));
    const err = await rejection(() => stripe.refunds.create({ payment_intent: pi.id }));
    assert.ok(err instanceof Stripe.errors.StripeInvalidRequestError);
    const missing = await rejection(() => stripe.refunds.retrieve("re_nope"));
    assert.equal(missing.statusCode, 404);
  });
});

describe("webhook delivery", () => {
  it("signatures use Stripe's scheme: the right secret verifies, another does not", async () => {
    const pi = await stripe.paymentIntents.create(card());
    await until(() => receiver.typesFor(pi.id).includes("payment_intent.succeeded"));
    const payload = JSON.stringify({ id: "evt_x", object: "event" });
    const { signatureHeader } = await import("../src/fake-stripe.mjs");
    const header = await signatureHeader(payload, WHSEC, Math.floor(Date.now() / 1000));
    assert.equal(new Stripe("sk_test_x").webhooks.constructEvent(payload, header, WHSEC).id, "evt_x");
    assert.throws(() => new Stripe("sk_test_x").webhooks.constructEvent(payload, header, "whsec_other"));
    assert.deepEqual(receiver.rejected, []);
  });

  it("duplicates: each event arrives n+1 times with the same id", async () => {
    fake.control.setDelivery({ duplicates: 2 });
    const pi = await stripe.paymentIntents.create(card());
    await fake.control.idle();
    assert.equal(receiver.typesFor(pi.id).filter((t) => t === "payment_intent.succeeded").length, 3);
    assert.equal(
      new Set(
        receiver.events
          .filter((e) => e.type === "payment_intent.succeeded" && /** @type {any} */ (e.data.object).id === pi.id)
          .map((e) => e.id),
      ).size,
      1,
    );
  });

  it("disorder and delay: every event still arrives", async () => {
    fake.control.setDelivery({ shuffle: true, delayMs: 20 });
    const pi = await stripe.paymentIntents.create(card());
    await fake.control.idle();
    assert.deepEqual(receiver.typesFor(pi.id).sort(), ["payment_intent.created", "payment_intent.succeeded"]);
  });

  it("drop: every event of one intent is lost, and the control API says so", async () => {
    const params = card();
    fake.control.setDelivery({
      drop: (evt) => /** @type {any} */ (evt.data.object).metadata?.orderId === params.metadata.orderId,
    });
    const pi = await stripe.paymentIntents.create(params);
    await fake.control.idle();
    assert.deepEqual(receiver.typesFor(pi.id), []);
    const listed = await (await fetch(`${fake.url}/__fake/events?intent=${pi.id}`)).json();
    assert.deepEqual(
      listed.data.map((/** @type {any} */ r) => r.status),
      ["dropped", "dropped"],
    );
  });

  it("a non-2xx answer is retried with backoff, and the retry is signed afresh", async () => {
    receiver.failNext(2);
    const pi = await stripe.paymentIntents.create(card());
    await until(() => receiver.typesFor(pi.id).includes("payment_intent.succeeded"));
    await fake.control.idle();
    const records = fake.events.filter((r) => r.intent === pi.id);
    assert.ok(records.every((r) => r.status === "delivered"));
    assert.equal(records.flatMap((r) => r.attempts).filter((a) => a.status === 500).length, 2);
  });

  it("the control API over HTTP: settle, force, delivery options", async () => {
    fake.control.configure({ settleMs: 60_000 });
    const pi = await stripe.paymentIntents.create(
      card("pm_usBankAccount_success", { currency: "usd", mandate_data: mandate }),
    );
    const post = (/** @type {string} */ path, /** @type {unknown} */ body) =>
      fetch(`${fake.url}${path}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      }).then((r) => r.json());
    assert.equal((await post(`/__fake/intents/${pi.id}/settle`, {})).status, "succeeded");
    assert.equal(
      (await post(`/__fake/intents/${pi.id}/force`, { status: "canceled", silent: true })).status,
      "canceled",
    );
    assert.equal((await post("/__fake/delivery", { duplicates: 1 })).duplicates, 1);
    fake.control.configure({ settleMs: 100 });
  });
});
