/**
 * A faithful fake Stripe for tests: a real HTTP server on 127.0.0.1 speaking the REST calls the
 * project makes with the official `stripe` SDK (form-encoded bodies, Stripe's JSON objects and
 * error bodies), Stripe's PaymentIntent state machine for the test payment methods in
 * `fake-stripe/methods.mjs`, Stripe's idempotency-key semantics, and webhooks signed with
 * Stripe's real scheme. Point the SDK at it with `{ host: "127.0.0.1", port, protocol: "http" }`
 * (the payments worker: `STRIPE_API_BASE = url`).
 *
 *   const fake = await startFakeStripe({ webhookUrl, webhookSecret: "whsec_…",
 *     delivery: { duplicates: 1, shuffle: true, delayMs: 50, drop: (evt) => … } });
 *   … fake.url, fake.port, fake.secretKey (a sk_test_ key, or `secretKey` if given) …
 *   await fake.stop();
 *
 * Stripe API (Authorization: Bearer <secretKey> or 401):
 *   POST /v1/payment_intents             create (+ confirm=true): card success → `succeeded`;
 *                                        decline → 402 card_error (`code`, `decline_code`), intent left
 *                                        `requires_payment_method` with `last_payment_error`; 3-D Secure →
 *                                        `requires_action` (`redirect_to_url` to /3ds/:pi with return_url,
 *                                        else `use_stripe_sdk`); us_bank_account (needs `mandate_data`, usd)
 *                                        → `processing`, settled after `settleMs` (default 1500) by webhook.
 *                                        Unknown pm → 400 resource_missing (param payment_method); below the
 *                                        currency minimum → 400 amount_too_small; automatic payment methods
 *                                        without `return_url` nor `allow_redirects=never` → 400, as Stripe.
 *   GET  /v1/payment_intents/:id
 *   POST /v1/payment_intents/:id/cancel  from requires_payment_method|requires_confirmation|requires_action
 *                                        (→ canceled); otherwise 400 payment_intent_unexpected_state + intent.
 *   GET  /v1/payment_intents/search      query `metadata['orderId']:'ord_…'` (also status:, customer:,
 *                                        currency:, AND); eventually consistent after `searchLagMs`.
 *   POST /v1/refunds, GET /v1/refunds/:id  succeeded intents only, amount ≤ what is left.
 *   Idempotency-Key: same key + same params → the stored answer with `Idempotent-Replayed: true`;
 *   other params → 400 idempotency_error; while the first is running → 409 idempotency_key_in_use.
 *
 * The shopper's 3-D Secure page (no auth):
 *   GET  /3ds/:pi   an HTML page with "Complete authentication" / "Fail authentication" buttons
 *   POST /3ds/:pi   form result=approve|fail → succeeded | requires_payment_method, webhook, then
 *                   303 to the return_url (?payment_intent=…&redirect_status=succeeded|failed)
 *
 * Webhooks: each event (payment_intent.created|requires_action|processing|succeeded|payment_failed|
 * canceled, refund.created|updated; no charge.* events) is POSTed to `webhookUrl` with
 * `Stripe-Signature: t=…,v1=HMAC-SHA256(whsec, "t.payload")`, signed afresh per attempt, retried on
 * non-2xx after `retryDelaysMs` (default 100, 400, 1600, 5000 ms). `delivery` options: `duplicates`
 * (extra copies), `shuffle` (random delay up to `shuffleWindowMs` per copy: disorder), `delayMs`,
 * `drop(event)` predicate, `dropIntents` / `dropOrders` (metadata.orderId) / `dropTypes`, `paused`,
 * `enabledEvents` (like an endpoint's enabled_events, default ["*"]).
 *
 * Control API for tests (JSON bodies, no auth; the same operations are on `fake.control`):
 *   GET  /__fake/events[?intent=pi_…&type=…]  every event with its delivery status and attempts
 *   POST /__fake/events/:evt/resend            deliver an event again
 *   GET  /__fake/intents[?orderId=…]           the intents; GET /__fake/intents/:pi one of them
 *   POST /__fake/intents/:pi/settle            settle a processing debit now ({ result?: "succeeded"|"failed" })
 *   POST /__fake/intents/:pi/authenticate      answer 3-D Secure without the page ({ result: "approve"|"fail" })
 *   POST /__fake/intents/:pi/force             Stripe reports { status: succeeded|requires_payment_method|
 *                                              canceled|processing|requires_action } from now on, with its
 *                                              event unless { silent: true } ("the money arrived anyway")
 *   POST /__fake/delivery                      change delivery options at run time (also { webhookUrl })
 *   POST /__fake/config                        { settleMs?, searchLagMs?, latencyMs? } (latency per API call)
 *   POST /__fake/faults                        the next { count } API calls under { path? } answer { status }
 *                                              (500, 503, 429) or never answer ("hang")
 *   GET  /__fake/idle[?timeoutMs=]             waits until no webhook delivery is in flight
 *   POST /__fake/reset                         forget everything
 */
import { createServer } from "node:http";
import { createStripeCore } from "./fake-stripe/core.mjs";

export { TEST_METHODS } from "./fake-stripe/methods.mjs";
export { signatureHeader } from "./fake-stripe/webhooks.mjs";

/**
 * @param {{ port?: number, webhookUrl?: string | null, webhookSecret: string, secretKey?: string,
 *   delivery?: Partial<import("./fake-stripe/webhooks.mjs").DeliveryOptions>, settleMs?: number,
 *   searchLagMs?: number, latencyMs?: number, apiVersion?: string }} opts
 */
export async function startFakeStripe(opts) {
  /** @type {ReturnType<typeof createStripeCore> | null} */
  let core = null;
  /** @type {Set<import("node:net").Socket>} */
  const sockets = new Set();
  const server = createServer((req, res) => {
    const chunks = /** @type {Buffer[]} */ ([]);
    req.on("data", (c) => chunks.push(c));
    req.on("end", async () => {
      try {
        if (!core) throw new Error("fake stripe not started");
        const answer = await core.handle({
          method: req.method ?? "GET",
          url: `http://127.0.0.1${req.url ?? "/"}`,
          headers: { get: (name) => /** @type {string | undefined} */ (req.headers[name.toLowerCase()]) ?? null },
          body: Buffer.concat(chunks).toString("utf8"),
        });
        if ("hang" in answer) return; // never answers: the client's timeout decides
        res.writeHead(answer.status, answer.headers).end(answer.body);
      } catch (err) {
        res.writeHead(500, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: { type: "api_error", message: String(err) } }));
      }
    });
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, "127.0.0.1", () => resolve(undefined));
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : Number(opts.port);
  const url = `http://127.0.0.1:${port}`;
  core = createStripeCore({ ...opts, baseUrl: url });
  const started = core;
  return {
    url,
    port,
    secretKey: started.secretKey,
    webhookSecret: started.webhookSecret,
    intents: started.intents,
    refunds: started.refunds,
    events: started.events,
    control: started.control,
    async stop() {
      started.stop();
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(() => resolve(undefined)));
    },
  };
}
