/**
 * Webhook delivery as Stripe does it: the event JSON POSTed to the endpoint with
 * `Stripe-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<payload>" keyed with the whsec_ secret>`,
 * signed afresh for each attempt, retried with backoff on a non-2xx answer or a network error.
 * Delivery faults for tests: duplicates, disorder (a random delay per copy), a fixed delay,
 * dropped events, a paused endpoint.
 */

/**
 * @typedef {{ id: string, type: string, data: { object: Record<string, unknown> } } & Record<string, unknown>} StripeEvent
 * @typedef {{ duplicates: number, shuffle: boolean, shuffleWindowMs: number, delayMs: number,
 *   drop: ((event: StripeEvent) => boolean) | null, dropIntents: string[], dropOrders: string[],
 *   dropTypes: string[], retryDelaysMs: number[], paused: boolean, enabledEvents: string[] }} DeliveryOptions
 * @typedef {{ event: StripeEvent, intent: string | null, orderId: string | null, status: string,
 *   attempts: { at: string, status: number | string }[], delivered: number }} EventRecord
 */

const encoder = new TextEncoder();

/** `t=…,v1=…` for `payload` at unix time `t`. @param {string} payload @param {string} secret @param {number} t */
export async function signatureHeader(payload, secret, t) {
  const key = await crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, [
    "sign",
  ]);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, encoder.encode(`${t}.${payload}`)));
  return `t=${t},v1=${[...mac].map((b) => b.toString(16).padStart(2, "0")).join("")}`;
}

/** @returns {DeliveryOptions} */
function defaultDelivery() {
  return {
    duplicates: 0,
    shuffle: false,
    shuffleWindowMs: 300,
    delayMs: 0,
    drop: null,
    dropIntents: [],
    dropOrders: [],
    dropTypes: [],
    retryDelaysMs: [100, 400, 1600, 5000],
    paused: false,
    enabledEvents: ["*"],
  };
}

/** @param {number} ms */
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * @param {{ url: () => string | null, secret: string, fetch: typeof fetch, now: () => number }} deps
 */
export function createDelivery(deps) {
  /** @type {EventRecord[]} */
  const records = [];
  /** @type {Set<Promise<void>>} */
  const pending = new Set();
  let options = defaultDelivery();
  let stopped = false;

  /** @param {EventRecord} rec */
  const dropped = (rec) =>
    options.drop?.(rec.event) === true ||
    options.dropTypes.includes(rec.event.type) ||
    (rec.intent !== null && options.dropIntents.includes(rec.intent)) ||
    (rec.orderId !== null && options.dropOrders.includes(rec.orderId));

  /** @param {string} type */
  const subscribed = (type) =>
    options.enabledEvents.some((p) => p === "*" || p === type || (p.endsWith(".*") && type.startsWith(p.slice(0, -1))));

  /** One copy of the event, retried until a 2xx or the retries run out. @param {EventRecord} rec @param {number} delayMs */
  async function deliverCopy(rec, delayMs) {
    if (delayMs > 0) await sleep(delayMs);
    const payload = JSON.stringify(rec.event, null, 2);
    for (let attempt = 0; !stopped; attempt++) {
      while (options.paused && !stopped) await sleep(50);
      const url = deps.url();
      if (!url || stopped) return;
      let status = /** @type {number | string} */ ("error");
      try {
        const t = Math.floor(deps.now() / 1000);
        const res = await deps.fetch(url, {
          method: "POST",
          headers: {
            "content-type": "application/json; charset=utf-8",
            "user-agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
            "stripe-signature": await signatureHeader(payload, deps.secret, t),
          },
          body: payload,
        });
        status = res.status;
        await res.arrayBuffer().catch(() => undefined);
      } catch (err) {
        status = `error: ${err instanceof Error ? err.message : String(err)}`;
      }
      rec.attempts.push({ at: new Date(deps.now()).toISOString(), status });
      if (typeof status === "number" && status >= 200 && status < 300) {
        rec.delivered++;
        rec.status = "delivered";
        return;
      }
      const wait = options.retryDelaysMs[attempt];
      if (wait === undefined) {
        if (rec.delivered === 0) rec.status = "failed";
        return;
      }
      rec.status = "retrying";
      await sleep(wait);
    }
  }

  /** @param {EventRecord} rec */
  function schedule(rec) {
    if (!deps.url()) {
      rec.status = "no_endpoint";
      return;
    }
    if (!subscribed(rec.event.type)) {
      rec.status = "not_subscribed";
      return;
    }
    if (dropped(rec)) {
      rec.status = "dropped";
      return;
    }
    rec.status = "pending";
    for (let copy = 0; copy <= options.duplicates; copy++) {
      const jitter = options.shuffle ? Math.floor(Math.random() * options.shuffleWindowMs) : 0;
      const p = deliverCopy(rec, options.delayMs + jitter).finally(() => pending.delete(p));
      pending.add(p);
    }
  }

  return {
    records,
    /** Records the event and sends it (unless dropped). @param {StripeEvent} event */
    emit(event) {
      const object = /** @type {Record<string, unknown>} */ (event.data.object);
      const metadata = /** @type {Record<string, string> | undefined} */ (object.metadata);
      const intent =
        object.object === "payment_intent"
          ? String(object.id)
          : typeof object.payment_intent === "string"
            ? object.payment_intent
            : null;
      /** @type {EventRecord} */
      const rec = { event, intent, orderId: metadata?.orderId ?? null, status: "pending", attempts: [], delivered: 0 };
      records.push(rec);
      schedule(rec);
      return rec;
    },
    /** Sends an event again (Stripe dashboard "Resend"). @param {string} id */
    resend(id) {
      const rec = records.find((r) => r.event.id === id);
      if (!rec) return null;
      const p = deliverCopy(rec, 0).finally(() => pending.delete(p));
      pending.add(p);
      return rec;
    },
    /** @param {Partial<DeliveryOptions>} patch */
    configure(patch) {
      options = { ...options, ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) };
      return options;
    },
    options: () => options,
    /** Resolves once no delivery is in flight (or after timeoutMs). */
    async idle(timeoutMs = 10_000) {
      const deadline = deps.now() + timeoutMs;
      while (pending.size > 0 && deps.now() < deadline) {
        await Promise.race([Promise.allSettled([...pending]), sleep(Math.max(0, deadline - deps.now()))]);
      }
      return pending.size === 0;
    },
    stop() {
      stopped = true;
    },
    reset() {
      records.length = 0;
      options = defaultDelivery();
    },
  };
}
