/** The test control API under /__fake/ (documented in ../fake-stripe.mjs): JSON in, JSON out, no auth. */
import { StripeApiError } from "./errors.mjs";
import { parseForm } from "./form.mjs";

/** @param {number} status @param {unknown} body */
const json = (status, body) => ({
  status,
  headers: { "content-type": "application/json" },
  body: JSON.stringify(body, null, 2),
});

/**
 * @param {import("./core.mjs").WireRequest} req @param {URL} url
 * @param {{ control: ReturnType<typeof import("./core.mjs").createStripeCore>["control"],
 *   events: import("./webhooks.mjs").EventRecord[], intents: Map<string, Record<string, any>> }} deps
 * @returns {Promise<import("./core.mjs").WireResponse>}
 */
export async function controlApi(req, url, { control, events, intents }) {
  const parts = url.pathname.split("/").filter(Boolean).slice(1); // after "__fake"
  /** @type {Record<string, any>} */
  const body = req.body
    ? req.body.trim().startsWith("{")
      ? JSON.parse(req.body)
      : parseForm(new URLSearchParams(req.body))
    : {};
  const [what, id, action] = parts;
  try {
    if (req.method === "GET" && what === "events") {
      const intent = url.searchParams.get("intent");
      const type = url.searchParams.get("type");
      const data = events.filter((r) => (!intent || r.intent === intent) && (!type || r.event.type === type));
      return json(200, { data });
    }
    if (req.method === "POST" && what === "events" && id && action === "resend") {
      const rec = control.resend(id);
      return rec ? json(200, rec) : json(404, { error: `no event ${id}` });
    }
    if (req.method === "GET" && what === "intents" && !id) {
      const orderId = url.searchParams.get("orderId");
      return json(200, { data: [...intents.values()].filter((pi) => !orderId || pi.metadata.orderId === orderId) });
    }
    if (req.method === "GET" && what === "intents" && id) {
      const pi = intents.get(id);
      return pi ? json(200, pi) : json(404, { error: `no intent ${id}` });
    }
    if (req.method === "POST" && what === "intents" && id && action === "settle")
      return json(200, control.settle(id, body.result));
    if (req.method === "POST" && what === "intents" && id && action === "authenticate") {
      return json(200, control.authenticate(id, body.result));
    }
    if (req.method === "POST" && what === "intents" && id && action === "force") {
      return json(200, control.force(id, body.status, { silent: body.silent === true || body.silent === "true" }));
    }
    if (req.method === "POST" && what === "delivery") {
      const { drop: _ignored, ...rest } = body;
      return json(200, control.setDelivery(rest));
    }
    if (req.method === "POST" && what === "config") return json(200, control.configure(body));
    if (req.method === "POST" && what === "faults") {
      const pending = control.fail(
        body.status === "hang" ? "hang" : Number(body.status),
        Number(body.count ?? 1),
        body.path ?? "/v1/",
      );
      return json(200, { faults: pending });
    }
    if (req.method === "GET" && what === "idle")
      return json(200, { idle: await control.idle(Number(url.searchParams.get("timeoutMs") ?? 10_000)) });
    if (req.method === "POST" && what === "reset") {
      control.reset();
      return json(200, { ok: true });
    }
  } catch (err) {
    if (err instanceof StripeApiError) return json(err.status, { error: err.error });
    throw err;
  }
  return json(404, { error: `no control route ${req.method} ${url.pathname}` });
}
