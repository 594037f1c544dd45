/**
 * The fake Stripe API as a function of a request (no Node or Workers imports), so the same
 * state machine serves the Node HTTP server (../fake-stripe.mjs) and an in-workerd fetch
 * interceptor. Routes and the control API are documented in ../fake-stripe.mjs.
 */

import { controlApi } from "./control-api.mjs";
import { invalidRequest, StripeApiError } from "./errors.mjs";
import { fingerprint, parseForm } from "./form.mjs";
import { createIdempotency } from "./idempotency.mjs";
import {
  authenticateIntent,
  cancelIntent,
  createIntent,
  forceIntent,
  intentOr404,
  settleIntent,
  snapshot,
} from "./intents.mjs";
import { createRefund, getRefund } from "./refunds.mjs";
import { searchIntents } from "./search.mjs";
import { threeDsPage } from "./three-ds-page.mjs";
import { createDelivery } from "./webhooks.mjs";

/** The API version the SDK in this repo (stripe 23) pins; events carry it like an endpoint's version. */
export const DEFAULT_API_VERSION = "2026-10-28.endive";

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
/** Stripe-like ids: prefix + 24 random base62 characters. @param {string} prefix */
export function stripeId(prefix) {
  const bytes = crypto.getRandomValues(new Uint8Array(24));
  return `${prefix}_${[...bytes].map((b) => ALPHABET[b % 62]).join("")}`;
}

/** @param {number} ms */
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * @typedef {import("./idempotency.mjs").WireResponse} WireResponse
 * @typedef {{ method: string, url: string, headers: { get(name: string): string | null }, body: string }} WireRequest
 * @typedef {{ status: number | "hang", remaining: number, path: string }} Fault
 */

/**
 * @param {{ baseUrl: string, secretKey?: string, webhookUrl?: string | null, webhookSecret?: string,
 *   delivery?: Partial<import("./webhooks.mjs").DeliveryOptions>, settleMs?: number, searchLagMs?: number,
 *   latencyMs?: number, apiVersion?: string, fetch?: typeof fetch, now?: () => number }} opts
 */
export function createStripeCore(opts) {
  const now = opts.now ?? (() => Date.now());
  const secretKey = opts.secretKey ?? stripeId("sk_test");
  const webhookSecret = opts.webhookSecret ?? stripeId("whsec");
  const settings = {
    webhookUrl: opts.webhookUrl ?? null,
    settleMs: opts.settleMs ?? 1500,
    searchLagMs: opts.searchLagMs ?? 0,
    latencyMs: opts.latencyMs ?? 0,
  };
  /** @type {Fault[]} */
  const faults = [];
  /** @type {Map<string, Record<string, any>>} */
  const intents = new Map();
  /** @type {Map<string, Record<string, any>>} */
  const refunds = new Map();
  const idempotency = createIdempotency(now);
  const delivery = createDelivery({
    url: () => settings.webhookUrl,
    secret: webhookSecret,
    fetch: opts.fetch ?? ((input, init) => fetch(input, init)),
    now,
  });
  if (opts.delivery) delivery.configure(opts.delivery);
  /** The API request being served, for the events it causes (`event.request`). */
  let current = { id: /** @type {string | null} */ (null), key: /** @type {string | null} */ (null) };

  const ctx = {
    intents,
    refunds,
    internals: /** @type {Map<string, import("./intents.mjs").IntentInternals>} */ (new Map()),
    baseUrl: opts.baseUrl.replace(/\/$/, ""),
    now,
    id: stripeId,
    settleMs: () => settings.settleMs,
    searchLagMs: () => settings.searchLagMs,
    /** @param {string} type @param {Record<string, unknown>} object */
    emit(type, object) {
      delivery.emit({
        id: stripeId("evt"),
        object: "event",
        api_version: opts.apiVersion ?? DEFAULT_API_VERSION,
        created: Math.floor(now() / 1000),
        data: { object: snapshot(object) },
        livemode: false,
        pending_webhooks: 1,
        request: { id: current.id, idempotency_key: current.key },
        type,
      });
    },
  };

  /** @param {number} status @param {unknown} body @param {Record<string, string>} [headers] @returns {WireResponse} */
  const json = (status, body, headers = {}) => ({
    status,
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body, null, 2),
  });

  /** @param {WireRequest} req */
  function authorize(req) {
    const header = req.headers.get("authorization") ?? "";
    const bearer = /^Bearer\s+(.+)$/i.exec(header)?.[1];
    const basic = /^Basic\s+(.+)$/i.exec(header)?.[1];
    const key = bearer ?? (basic ? atob(basic).split(":")[0] : undefined);
    if (!key) {
      throw new StripeApiError(401, {
        type: "invalid_request_error",
        message:
          "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/.",
      });
    }
    if (key !== secretKey) {
      throw new StripeApiError(401, {
        type: "invalid_request_error",
        message: `Invalid API Key provided: ${key.slice(0, 8)}${"*".repeat(Math.max(0, key.length - 12))}${key.slice(-4)}`,
      });
    }
  }

  /**
   * The Stripe REST endpoints. @param {string} method @param {string} path
   * @param {URLSearchParams} query @param {Record<string, any>} p parsed form body
   * @returns {unknown} the object answered with 200
   */
  function api(method, path, query, p) {
    const parts = path.split("/").filter(Boolean); // ["v1", resource, id?, action?]
    const [, resource, id, action] = parts;
    if (resource === "payment_intents") {
      if (method === "POST" && parts.length === 2) return createIntent(ctx, p);
      if (method === "GET" && id === "search" && parts.length === 3) return searchIntents(ctx, query);
      if (method === "GET" && id && parts.length === 3) return intentOr404(ctx, id);
      if (method === "POST" && id && action === "cancel" && parts.length === 4) return cancelIntent(ctx, id, p);
    }
    if (resource === "refunds") {
      if (method === "POST" && parts.length === 2) return createRefund(ctx, p);
      if (method === "GET" && id && parts.length === 3) return getRefund(ctx, id);
    }
    throw invalidRequest(
      `Unrecognized request URL (${method}: ${path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`,
      { status: 404 },
    );
  }

  /** @param {WireRequest} req @param {URL} url @returns {Promise<WireResponse | { hang: true }>} */
  async function handleApi(req, url) {
    const requestId = stripeId("req");
    const key = req.method === "POST" ? req.headers.get("idempotency-key") : null;
    const base = {
      "request-id": requestId,
      "stripe-version": req.headers.get("stripe-version") ?? opts.apiVersion ?? DEFAULT_API_VERSION,
      ...(key ? { "idempotency-key": key } : {}),
    };
    /** @param {unknown} err */
    const errorResponse = (err) => {
      if (!(err instanceof StripeApiError)) throw err;
      return json(
        err.status,
        { error: { ...err.error, request_log_url: `https://dashboard.stripe.com/test/logs/${requestId}` } },
        base,
      );
    };
    const fault = faults.find((f) => f.remaining > 0 && url.pathname.startsWith(f.path));
    if (fault) {
      fault.remaining--;
      if (fault.status === "hang") return { hang: true };
      const type = fault.status === 429 ? "rate_limit_error" : "api_error";
      return json(fault.status, { error: { type, message: "An unknown error occurred" } }, base);
    }
    try {
      authorize(req);
    } catch (err) {
      return errorResponse(err);
    }
    const form = new URLSearchParams(req.method === "GET" ? "" : req.body);
    const p = parseForm(form);
    const work = async () => {
      if (settings.latencyMs > 0) await sleep(settings.latencyMs);
      current = { id: requestId, key };
      try {
        return { response: json(200, api(req.method, url.pathname, url.searchParams, p), base), store: true };
      } catch (err) {
        return { response: errorResponse(err), store: err instanceof StripeApiError && err.store };
      } finally {
        current = { id: null, key: null };
      }
    };
    if (!key) return (await work()).response;
    const answer = await idempotency.run(key, fingerprint(req.method, url.pathname, form), work);
    return answer instanceof StripeApiError ? errorResponse(answer) : answer;
  }

  /** The shopper's 3-D Secure page. @param {WireRequest} req @param {string} id @returns {WireResponse} */
  function handleThreeDs(req, id) {
    const pi = intents.get(id);
    if (!pi)
      return { status: 404, headers: { "content-type": "text/html; charset=utf-8" }, body: "<h1>Unknown payment</h1>" };
    if (req.method === "GET") {
      return { status: 200, headers: { "content-type": "text/html; charset=utf-8" }, body: threeDsPage(pi) };
    }
    const result = new URLSearchParams(req.body).get("result");
    if (result !== "approve" && result !== "fail") {
      return { status: 400, headers: { "content-type": "text/plain" }, body: "result must be approve or fail" };
    }
    authenticateIntent(ctx, id, result);
    const returnUrl = ctx.internals.get(id)?.returnUrl;
    if (!returnUrl)
      return { status: 200, headers: { "content-type": "text/html; charset=utf-8" }, body: threeDsPage(pi) };
    const back = new URL(returnUrl);
    back.searchParams.set("payment_intent", pi.id);
    back.searchParams.set("payment_intent_client_secret", pi.client_secret);
    back.searchParams.set("redirect_status", pi.status === "succeeded" ? "succeeded" : "failed");
    return { status: 303, headers: { location: back.toString() }, body: "" };
  }

  const control = {
    /** @param {string} id @param {"succeeded" | "failed"} [result] */
    settle: (id, result) => snapshot(settleIntent(ctx, id, result)),
    /** @param {string} id @param {"approve" | "fail"} result */
    authenticate: (id, result) => snapshot(authenticateIntent(ctx, id, result)),
    /** @param {string} id @param {string} status @param {{ silent?: boolean }} [o] */
    force: (id, status, o) => snapshot(forceIntent(ctx, id, status, o)),
    /** @param {Partial<import("./webhooks.mjs").DeliveryOptions> & { webhookUrl?: string | null }} o */
    setDelivery(o) {
      const { webhookUrl, ...rest } = o;
      if (webhookUrl !== undefined) settings.webhookUrl = webhookUrl;
      return { webhookUrl: settings.webhookUrl, ...delivery.configure(rest) };
    },
    /** @param {{ settleMs?: number, searchLagMs?: number, latencyMs?: number }} o */
    configure(o) {
      for (const k of /** @type {const} */ (["settleMs", "searchLagMs", "latencyMs"])) {
        if (typeof o[k] === "number") settings[k] = o[k];
      }
      return { ...settings };
    },
    /** The next `count` API calls under `path` answer `status` (5xx, 429) or never answer ("hang"). */
    fail(/** @type {number | "hang"} */ status, count = 1, path = "/v1/") {
      faults.push({ status, remaining: count, path });
      return faults.filter((f) => f.remaining > 0);
    },
    resend: (/** @type {string} */ id) => delivery.resend(id),
    idle: (timeoutMs = 10_000) => delivery.idle(timeoutMs),
    reset() {
      for (const i of ctx.internals.values()) if (i.timer) clearTimeout(i.timer);
      intents.clear();
      refunds.clear();
      ctx.internals.clear();
      idempotency.keys.clear();
      faults.length = 0;
      delivery.reset();
    },
  };

  return {
    secretKey,
    webhookSecret,
    intents,
    refunds,
    events: delivery.records,
    control,
    /** @param {WireRequest} req @returns {Promise<WireResponse | { hang: true }>} */
    async handle(req) {
      const url = new URL(req.url);
      if (url.pathname.startsWith("/v1/")) return handleApi(req, url);
      const threeDs = /^\/3ds\/([^/]+)$/.exec(url.pathname);
      if (threeDs && (req.method === "GET" || req.method === "POST")) return handleThreeDs(req, String(threeDs[1]));
      if (url.pathname.startsWith("/__fake/"))
        return controlApi(req, url, { control, events: delivery.records, intents });
      return json(404, {
        error: { type: "invalid_request_error", message: `Unrecognized request URL (${req.method}: ${url.pathname}).` },
      });
    },
    stop() {
      for (const i of ctx.internals.values()) if (i.timer) clearTimeout(i.timer);
      delivery.stop();
    },
  };
}
