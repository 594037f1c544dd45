import { createStripeCore, type StripeCoreOptions } from "@shop/testing/fake-stripe/core";
import { vi } from "vitest";

export type StripeCall = { method: string; path: string; form: URLSearchParams; headers: Headers };

/**
 * The fake Stripe from @shop/testing (Stripe's PaymentIntent state machine, error bodies,
 * idempotency keys, signed webhooks) behind `fetch` inside workerd: requests to api.stripe.com
 * (or another `hosts` entry, for STRIPE_API_BASE) are answered by it; anything else is a test bug.
 * `failNext` injects 5xx answers or hangs; `control` drives intents (settle, 3-D Secure, force).
 */
export function fakeStripe(
  opts: { secretKey?: string; hosts?: string[] } & Partial<Omit<StripeCoreOptions, "baseUrl">> = {},
) {
  const hosts = new Set(["api.stripe.com", ...(opts.hosts ?? [])]);
  const core = createStripeCore({ baseUrl: "https://fake-stripe.test", settleMs: 60_000, ...opts });
  const calls: StripeCall[] = [];

  const spy = vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    if (!hosts.has(url.host)) throw new Error(`unexpected fetch to ${url.host}`);
    // Bytes, not .text(): workerd warns when a form-encoded body is read as text.
    const body = request.method === "GET" ? "" : new TextDecoder().decode(await request.arrayBuffer());
    calls.push({
      method: request.method,
      path: url.pathname,
      form: new URLSearchParams(request.method === "GET" ? url.search : body),
      headers: request.headers,
    });
    const answer = await core.handle({ method: request.method, url: request.url, headers: request.headers, body });
    if ("hang" in answer) {
      return new Promise<Response>((_, reject) => {
        init?.signal?.addEventListener("abort", () => reject(init.signal?.reason ?? new Error("aborted")));
      });
    }
    return new Response(answer.body || null, { status: answer.status, headers: answer.headers });
  });

  return {
    calls,
    core,
    control: core.control,
    intents: core.intents,
    secretKey: core.secretKey,
    spy,
    /** The next API calls answer these statuses, or never answer. */
    failNext: (...faults: ("500" | "503" | "429" | "hang")[]) => {
      for (const f of faults) core.control.fail(f === "hang" ? "hang" : Number(f));
    },
    restore: () => {
      core.stop();
      spy.mockRestore();
    },
  };
}
