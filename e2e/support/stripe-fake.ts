import { currentMode, currentSystem } from "./modes";

/**
 * The fake Stripe server's test control API (`/__fake/…`, packages/testing/src/fake-stripe.mjs)
 * for the Stripe-mode system the running suite uses: what Stripe holds, and the levers a test
 * pulls that the real Stripe offers only in its dashboard (settle a debit, force a status,
 * webhook delivery faults).
 */
export type FakeIntent = {
  id: string;
  status: string;
  amount: number;
  metadata?: Record<string, string>;
  [key: string]: unknown;
};
export type FakeEventRecord = {
  event: { id: string; type: string; data: { object: Record<string, unknown> } };
  intent: string | null;
  orderId: string | null;
  status: string;
  delivered: number;
};

/** The fake's delivery options as they are when it starts (packages/testing/src/fake-stripe/webhooks.mjs). */
const DEFAULT_DELIVERY = {
  duplicates: 0,
  shuffle: false,
  delayMs: 0,
  dropIntents: [],
  dropOrders: [],
  dropTypes: [],
  paused: false,
};

async function control<T>(method: string, path: string, body?: unknown): Promise<T> {
  const base = currentSystem().stripeUrl;
  if (!base) throw new Error(`the ${currentMode()} system has no fake Stripe server`);
  const res = await fetch(`${base}/__fake${path}`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`fake Stripe ${method} ${path} → ${res.status} ${text.slice(0, 300)}`);
  return (text ? JSON.parse(text) : null) as T;
}

export function fakeStripe() {
  return {
    intents: async (orderId?: string) =>
      (await control<{ data: FakeIntent[] }>("GET", `/intents${orderId ? `?orderId=${orderId}` : ""}`)).data,
    intent: (id: string) => control<FakeIntent>("GET", `/intents/${id}`),
    events: async (query: { intent?: string; type?: string } = {}) =>
      (await control<{ data: FakeEventRecord[] }>("GET", `/events?${new URLSearchParams(query)}`)).data,
    /** Refund ids Stripe created for an intent (from its `refund.created` events). */
    refundsOf: async (intent: string) => {
      const events = await fakeStripe().events({ intent, type: "refund.created" });
      const byId = new Map(events.map((e) => [String(e.event.data.object.id), e.event.data.object]));
      return [...byId.values()] as { id: string; amount: number; status: string }[];
    },
    /** Settles a `processing` bank debit now (as its method says, or `result`); a settled one stays as it is. */
    settle: (id: string, result?: "succeeded" | "failed") =>
      control<FakeIntent>("POST", `/intents/${id}/settle`, result ? { result } : {}),
    /** Stripe reports `status` from now on, with its webhook ("the money arrived anyway"). */
    force: (id: string, status: string) => control<FakeIntent>("POST", `/intents/${id}/force`, { status }),
    /** Webhook delivery faults: dropOrders, dropIntents, duplicates, shuffle, delayMs, paused… */
    delivery: (options: Record<string, unknown>) => control("POST", "/delivery", options),
    resetDelivery: () => control("POST", "/delivery", DEFAULT_DELIVERY),
    /** The next `count` Stripe API calls answer `status` (500, 503, 429): Stripe having a bad minute. */
    fail: (status: number, count: number) => control("POST", "/faults", { status, count }),
    /** settleMs: how long a bank debit stays `processing` before it settles on its own. */
    configure: (settings: { settleMs?: number; searchLagMs?: number; latencyMs?: number }) =>
      control("POST", "/config", settings),
  };
}
