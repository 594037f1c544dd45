import { vi } from "vitest";

export type StripeCall = { method: string; path: string; form: URLSearchParams; headers: Headers };
type Intent = {
  id: string;
  object: "payment_intent";
  status: string;
  amount: number;
  currency: string;
  metadata: Record<string, string>;
  last_payment_error: { message: string } | null;
};

const DECLINES: Record<string, { decline_code: string; message: string }> = {
  pm_card_chargeDeclined: { decline_code: "generic_decline", message: "Your card was declined." },
  pm_card_chargeDeclinedInsufficientFunds: {
    decline_code: "insufficient_funds",
    message: "Your card has insufficient funds.",
  },
};

function json(status: number, body: unknown, headers: Record<string, string> = {}) {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", "request-id": `req_${crypto.randomUUID()}`, ...headers },
  });
}

/**
 * A small in-memory Stripe API behind `fetch`: the endpoints the adapter uses, with Stripe's
 * shapes, error bodies and idempotent replays. `failNext` injects 5xx answers or hangs.
 */
export function fakeStripe() {
  const calls: StripeCall[] = [];
  const intents = new Map<string, Intent>();
  const replays = new Map<string, Response>();
  const faults: ("500" | "503" | "hang")[] = [];
  let seq = 0;

  const handle = (method: string, path: string, form: URLSearchParams): Response => {
    if (method === "POST" && path === "/v1/payment_intents") {
      const pm = form.get("payment_method") ?? "";
      const intent: Intent = {
        id: `pi_fake_${++seq}`,
        object: "payment_intent",
        status: "succeeded",
        amount: Number(form.get("amount")),
        currency: form.get("currency") ?? "",
        metadata: { paymentId: form.get("metadata[paymentId]") ?? "", orderId: form.get("metadata[orderId]") ?? "" },
        last_payment_error: null,
      };
      const decline = DECLINES[pm];
      if (decline) {
        intent.status = "requires_payment_method";
        intent.last_payment_error = { message: decline.message };
        intents.set(intent.id, intent);
        return json(402, {
          error: { type: "card_error", code: "card_declined", ...decline, payment_intent: intent },
        });
      }
      intents.set(intent.id, intent);
      return json(200, intent);
    }
    const cancel = /^\/v1\/payment_intents\/([^/]+)\/cancel$/.exec(path);
    if (method === "POST" && cancel) {
      const intent = intents.get(cancel[1] ?? "");
      if (!intent)
        return json(404, {
          error: { type: "invalid_request_error", code: "resource_missing", message: "No such payment_intent" },
        });
      if (intent.status === "succeeded") {
        return json(400, {
          error: {
            type: "invalid_request_error",
            code: "payment_intent_unexpected_state",
            message: "You cannot cancel this PaymentIntent because it has a status of succeeded.",
          },
        });
      }
      intent.status = "canceled";
      return json(200, intent);
    }
    const get = /^\/v1\/payment_intents\/([^/]+)$/.exec(path);
    if (method === "GET" && get) {
      const intent = intents.get(get[1] ?? "");
      return intent
        ? json(200, intent)
        : json(404, {
            error: { type: "invalid_request_error", code: "resource_missing", message: "No such payment_intent" },
          });
    }
    if (method === "POST" && path === "/v1/refunds") {
      return json(200, {
        id: `re_fake_${++seq}`,
        object: "refund",
        status: "succeeded",
        amount: Number(form.get("amount")),
        payment_intent: form.get("payment_intent"),
      });
    }
    return json(404, { error: { type: "invalid_request_error", message: `fake has no ${method} ${path}` } });
  };

  const spy = vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    if (url.hostname !== "api.stripe.com") throw new Error(`unexpected fetch to ${url.hostname}`);
    const form = new URLSearchParams(request.method === "GET" ? url.search : await request.text());
    calls.push({ method: request.method, path: url.pathname, form, headers: request.headers });
    const fault = faults.shift();
    if (fault === "hang") {
      return new Promise<Response>((_, reject) => {
        init?.signal?.addEventListener("abort", () => reject(init.signal?.reason ?? new Error("aborted")));
      });
    }
    if (fault) return json(Number(fault), { error: { type: "api_error", message: "An unknown error occurred" } });
    const key = request.headers.get("idempotency-key");
    const replayKey = key ? `${request.method} ${url.pathname} ${key}` : null;
    const cached = replayKey ? replays.get(replayKey) : undefined;
    if (cached) return cached.clone();
    const res = handle(request.method, url.pathname, form);
    if (replayKey) replays.set(replayKey, res.clone());
    return res;
  });

  return {
    calls,
    intents,
    spy,
    failNext: (...f: ("500" | "503" | "hang")[]) => faults.push(...f),
    restore: () => spy.mockRestore(),
  };
}
