import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import type { UsersRpc } from "@shop/contracts";
import { JWKS_GRACE_MS, JWKS_TTL_MS, newId } from "@shop/runtime";
import { bearer, mintToken } from "@shop/testing/worker";
import { afterEach, describe, expect, it, vi } from "vitest";
import worker from "../../src/index";

/** The users worker stopped: its binding throws, as a binding to a worker that is not running does. */
const usersDown: Pick<UsersRpc, "jwks"> = {
  jwks: async () => {
    throw new Error("users is not running");
  },
};

/**
 * The real orders worker (D1, DOs, the real products and payments neighbours) with `USERS`
 * either the real users worker or one that is down. The key cache is per isolate and this
 * file has its own isolate, so the first request below really has no keys cached.
 */
async function listOrders(token: string, users: "up" | "down"): Promise<Response> {
  const bindings = users === "up" ? env : Object.create(env, { USERS: { value: usersDown, enumerable: true } });
  const ctx = createExecutionContext();
  const res = await worker.fetch(new Request("https://orders/orders", { headers: bearer(token) }), bindings, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

describe("orders while users is down", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("answers 503 with Retry-After (never 401) when users was down from the start, then keeps serving through the grace", async () => {
    // Long-lived so that only the key cache, never the token's own expiry, decides below.
    const token = await mintToken(env.TEST_SIGNING_JWK, { sub: newId("user"), expiresIn: 4 * 3600 });

    const cold = await listOrders(token, "down");
    expect(cold.status).toBe(503);
    expect(cold.headers.get("retry-after")).toBe("5");
    expect(((await cold.json()) as { code: string }).code).toBe("service_unavailable");

    expect((await listOrders(token, "up")).status).toBe(200); // keys fetched and cached

    vi.useFakeTimers({ toFake: ["Date"] });
    const start = Date.now();
    vi.setSystemTime(start + JWKS_TTL_MS + 60_000); // past the key cache: the refresh fails
    expect((await listOrders(token, "down")).status).toBe(200);

    vi.setSystemTime(start + JWKS_TTL_MS + JWKS_GRACE_MS - 60_000); // still within the grace
    expect((await listOrders(token, "down")).status).toBe(200);

    vi.setSystemTime(start + JWKS_TTL_MS + JWKS_GRACE_MS + 60_000); // past it
    const after = await listOrders(token, "down");
    expect(after.status).toBe(503);
    expect(after.headers.get("retry-after")).toBe("5");

    expect((await listOrders(token, "up")).status).toBe(200); // users back: served at once
  });
});
