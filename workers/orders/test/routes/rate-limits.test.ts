import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { CLIENT_IP_HEADER } from "@shop/contracts";
import { bearer } from "@shop/testing/worker";
import { beforeEach, describe, expect, it } from "vitest";
import worker from "../../src/index";
import { call, createProduct, orderBody, type Shopper, shopper } from "../helpers";

/** The suite runs with RATE_LIMITS off (vitest.config.ts); here they are on, as in every deployed environment. */
const limited = Object.create(env, { RATE_LIMITS: { value: "on", enumerable: true } });

/**
 * The limiter counts in fixed windows aligned to the minute (as Workers Rate Limiting does), so a
 * test whose requests straddle a minute boundary would see its count start again. Each test starts
 * at least this long before the next boundary, waiting for it to pass if need be.
 */
const WINDOW_MARGIN_MS = 10_000;
beforeEach(async () => {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < WINDOW_MARGIN_MS) await new Promise((r) => setTimeout(r, left + 50));
}, WINDOW_MARGIN_MS + 5_000);

let addressSeq = 0;
/** A client address no other test uses (the limiter's state lives for the whole run). */
const freshIp = () => `198.51.100.${++addressSeq}`;

async function send(
  method: string,
  path: string,
  opts: { who?: Shopper; ip?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<Response> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.who) Object.assign(headers, bearer(opts.who.token));
  if (opts.ip) headers[CLIENT_IP_HEADER] = opts.ip;
  if (opts.body !== undefined) headers["content-type"] = "application/json";
  const ctx = createExecutionContext();
  const res = await worker.fetch(
    new Request(`https://orders${path}`, {
      method,
      headers,
      ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
    }),
    limited,
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return res;
}

async function expectRateLimited(res: Response) {
  expect(res.status).toBe(429);
  expect(res.headers.get("retry-after")).toBe("60");
  expect(res.headers.get("content-type")).toContain("application/problem+json");
  expect(((await res.json()) as { code: string }).code).toBe("rate_limited");
}

/** Cheap requests that still count: the limit runs before the body is parsed (no Idempotency-Key → 400). */
const badCheckout = (who: Shopper, ip?: string) => send("POST", "/orders", { who, ip, body: {} });

describe("rate limits on checkout", () => {
  it("refuses the 11th checkout of one user within a minute with 429 + Retry-After, and places nothing", async () => {
    const who = await shopper();
    for (let i = 0; i < 10; i++) expect((await badCheckout(who)).status).toBe(400);

    const productId = await createProduct({ stock: 5 });
    expect((await call("POST", "/cart/items", { token: who.token, body: { productId, quantity: 1 } })).status).toBe(
      200,
    );
    const refused = await send("POST", "/orders", {
      who,
      body: orderBody(),
      headers: { "idempotency-key": "rate-limit-0001" },
    });
    await expectRateLimited(refused);

    const orders = (await (await call("GET", "/orders", { token: who.token })).json()) as { items: unknown[] };
    expect(orders.items).toEqual([]);
  });

  it("limits one client address across many users (30 a minute), and another address is unaffected", async () => {
    const ip = freshIp();
    for (let i = 0; i < 30; i++) expect((await badCheckout(await shopper(), ip)).status).toBe(400);
    await expectRateLimited(await badCheckout(await shopper(), ip));
    expect((await badCheckout(await shopper(), freshIp())).status).toBe(400);
  });

  it("counts every IPv6 address of one /64 as one client", async () => {
    const prefix = `2001:db8:${(++addressSeq).toString(16)}:1`;
    for (let i = 0; i < 30; i++) {
      expect((await badCheckout(await shopper(), `${prefix}::${(i + 1).toString(16)}`)).status).toBe(400);
    }
    await expectRateLimited(await badCheckout(await shopper(), `${prefix}:abcd:ef01:2345:6789`));
  });

  it("is off when RATE_LIMITS is off (the local harnesses)", async () => {
    const who = await shopper();
    for (let i = 0; i < 12; i++)
      expect((await call("POST", "/orders", { token: who.token, body: {} })).status).toBe(400);
  });
});

describe("rate limits on cart writes", () => {
  it("refuses a user's 61st cart write within a minute; reading the cart stays open", async () => {
    const who = await shopper();
    for (let i = 0; i < 60; i++) expect((await send("POST", "/cart/items", { who, body: {} })).status).toBe(400);
    await expectRateLimited(await send("PATCH", "/cart/items/prd_01jd8x3v4k2m9q7r5t6w8y0zab", { who, body: {} }));
    await expectRateLimited(await send("DELETE", "/cart", { who }));
    expect((await send("GET", "/cart", { who })).status).toBe(200);
  });

  it("limits guests by client address (120 writes a minute)", async () => {
    const ip = freshIp();
    for (let i = 0; i < 120; i++) expect((await send("POST", "/cart/items", { ip, body: {} })).status).toBe(400);
    await expectRateLimited(await send("POST", "/cart/items", { ip, body: {} }));
    expect((await send("POST", "/cart/items", { ip: freshIp(), body: {} })).status).toBe(400);
  });
});
