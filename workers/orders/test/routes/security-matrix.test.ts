import { env } from "cloudflare:test";
import type { Cart, Order, OrderPage } from "@shop/contracts";
import { newId } from "@shop/runtime";
import { forgedAdminTokens } from "@shop/testing/worker";
import { beforeAll, describe, expect, it } from "vitest";
import {
  call,
  checkout,
  createProduct,
  getOrder,
  orderBody,
  problem,
  type Shopper,
  shopper,
  untilStatus,
} from "../helpers";

/**
 * The security matrix of carts and orders: no token (orders) and tokens we did not issue (all
 * routes, carts included) → 401, a customer on ship/deliver → 403, another shopper's order or
 * cart line → 404 and untouched, and no body sets what only the server decides.
 */

type Route = { method: string; path: () => string; body?: () => unknown; headers?: Record<string, string> };

const SOME_RETURN = newId("return");
let owner: Shopper;
let order: Order;
let productId: string;

beforeAll(async () => {
  owner = await shopper();
  productId = await createProduct({ stock: 50 });
  // A paid order: a state no refused request below may move it out of.
  order = await untilStatus(owner, (await checkout(owner, [{ productId, quantity: 1 }])).id, "paid");
});

const orderRoutes: [string, Route][] = [
  [
    "POST /orders",
    {
      method: "POST",
      path: () => "/orders",
      body: () => orderBody(),
      headers: { "idempotency-key": "security-matrix-1" },
    },
  ],
  ["GET /orders", { method: "GET", path: () => "/orders" }],
  ["GET /orders/{id}", { method: "GET", path: () => `/orders/${order.id}` }],
  ["POST /orders/{id}/cancel", { method: "POST", path: () => `/orders/${order.id}/cancel`, body: () => ({}) }],
  [
    "POST /orders/{id}/ship",
    {
      method: "POST",
      path: () => `/orders/${order.id}/ship`,
      body: () => ({ carrier: "DHL", trackingNumber: "JD01" }),
    },
  ],
  ["POST /orders/{id}/deliver", { method: "POST", path: () => `/orders/${order.id}/deliver` }],
  ["POST /orders/reconciliation", { method: "POST", path: () => "/orders/reconciliation" }],
  ["GET /orders/reconciliation", { method: "GET", path: () => "/orders/reconciliation" }],
  [
    "POST /orders/{id}/returns",
    {
      method: "POST",
      path: () => `/orders/${order.id}/returns`,
      body: () => ({ lines: [{ line: 0, quantity: 1 }], reason: "damaged" }),
      headers: { "idempotency-key": "security-matrix-return" },
    },
  ],
  ["GET /orders/{id}/returns", { method: "GET", path: () => `/orders/${order.id}/returns` }],
  ["GET /returns", { method: "GET", path: () => "/returns" }],
  ["POST /returns/{id}/approve", { method: "POST", path: () => `/returns/${SOME_RETURN}/approve` }],
  [
    "POST /returns/{id}/reject",
    { method: "POST", path: () => `/returns/${SOME_RETURN}/reject`, body: () => ({ reason: "no" }) },
  ],
  ["POST /returns/{id}/receive", { method: "POST", path: () => `/returns/${SOME_RETURN}/receive`, body: () => ({}) }],
];

const cartRoutes: [string, Route][] = [
  ["GET /cart", { method: "GET", path: () => "/cart" }],
  ["POST /cart/items", { method: "POST", path: () => "/cart/items", body: () => ({ productId, quantity: 1 }) }],
  [
    "PATCH /cart/items/{productId}",
    { method: "PATCH", path: () => `/cart/items/${productId}`, body: () => ({ quantity: 2 }) },
  ],
  ["DELETE /cart/items/{productId}", { method: "DELETE", path: () => `/cart/items/${productId}` }],
  ["DELETE /cart", { method: "DELETE", path: () => "/cart" }],
];

const send = (route: Route, token?: string) =>
  call(route.method, route.path(), {
    ...(token ? { token } : {}),
    ...(route.body ? { body: route.body() } : {}),
    ...(route.headers ? { headers: route.headers } : {}),
  });

async function orderCount(): Promise<number> {
  return (await env.DB.prepare("SELECT COUNT(*) AS n FROM orders").first<{ n: number }>())?.n ?? 0;
}

describe.each(orderRoutes)("%s", (_name, route) => {
  it("no token → 401 problem+json; a forged, expired or tampered token → 401; nothing changes", async () => {
    const before = { count: await orderCount(), order: await getOrder(owner, order.id) };
    const anonymous = await send(route);
    expect(anonymous.status).toBe(401);
    expect((await problem(anonymous)).code).toBe("unauthorized");
    for (const [what, token] of await forgedAdminTokens(env.TEST_SIGNING_JWK, owner.userId)) {
      expect((await send(route, token)).status, what).toBe(401);
    }
    expect({ count: await orderCount(), order: await getOrder(owner, order.id) }).toEqual(before);
  });
});

describe.each(cartRoutes)("%s (guests welcome)", (_name, route) => {
  it("a forged, expired or tampered token → 401, never a fallback to a guest cart", async () => {
    for (const [what, token] of await forgedAdminTokens(env.TEST_SIGNING_JWK, owner.userId)) {
      const res = await send(route, token);
      expect(res.status, what).toBe(401);
      expect(res.headers.get("x-cart-id"), what).toBeNull();
    }
  });
});

describe("another shopper's order", () => {
  it.each([
    ["GET", "", undefined],
    ["POST", "/cancel", { reason: "not mine" }],
  ] as const)("%s /orders/{id}%s → 404, and the order is untouched", async (method, suffix, body) => {
    const other = await shopper();
    const before = await getOrder(owner, order.id);
    const res = await call(method, `/orders/${order.id}${suffix}`, { token: other.token, ...(body ? { body } : {}) });
    expect(res.status).toBe(404);
    expect(JSON.stringify(await problem(res))).not.toContain(owner.userId);
    expect(await getOrder(owner, order.id)).toEqual(before);
  });

  it.each([
    ["ship", { carrier: "DHL", trackingNumber: "JD0146000012345" }],
    ["deliver", undefined],
  ] as const)("a customer → 403 on %s, for another's order as for their own; nothing changes", async (verb, body) => {
    const other = await shopper();
    for (const who of [other, owner]) {
      const res = await call("POST", `/orders/${order.id}/${verb}`, { token: who.token, ...(body ? { body } : {}) });
      expect(res.status).toBe(403);
      expect((await problem(res)).code).toBe("forbidden");
    }
    expect((await getOrder(owner, order.id)).status).toBe(order.status);
  });

  it("GET /orders never lists it, whatever the filters; a userId filter is refused", async () => {
    const other = await shopper();
    const own = await checkout(other, [{ productId, quantity: 1 }], "pm_card_authenticationRequired");
    for (const query of ["", "?status=paid", "?limit=100"]) {
      const page = (await (await call("GET", `/orders${query}`, { token: other.token })).json()) as OrderPage;
      if (query !== "?status=paid")
        expect(
          page.items.map((o) => o.id),
          query,
        ).toEqual([own.id]);
      expect(
        page.items.every((o) => o.userId === other.userId),
        query,
      ).toBe(true);
      expect(page.items.map((o) => o.id)).not.toContain(order.id);
    }
    const widened = await call("GET", `/orders?userId=${owner.userId}`, { token: other.token });
    expect(widened.status).toBe(400);
  });
});

describe("another shopper's cart", () => {
  async function cartOf(who: Shopper): Promise<Cart> {
    const res = await call("GET", "/cart", { token: who.token });
    expect(res.status).toBe(200);
    return (await res.json()) as Cart;
  }

  it("B can neither change, remove nor clear A's lines, and B's additions land in B's cart", async () => {
    const a = await shopper();
    const b = await shopper();
    expect((await call("POST", "/cart/items", { token: a.token, body: { productId, quantity: 3 } })).status).toBe(200);
    const before = await cartOf(a);

    const patched = await call("PATCH", `/cart/items/${productId}`, { token: b.token, body: { quantity: 1 } });
    expect(patched.status).toBe(404);
    expect((await call("DELETE", `/cart/items/${productId}`, { token: b.token })).status).toBe(404);
    expect((await call("DELETE", "/cart", { token: b.token })).status).toBeLessThan(300);
    expect((await call("POST", "/cart/items", { token: b.token, body: { productId, quantity: 5 } })).status).toBe(200);

    expect(await cartOf(a)).toEqual(before);
    expect((await cartOf(b)).lines.map((l) => [l.productId, l.quantity])).toEqual([[productId, 5]]);
  });
});

describe("bodies never set what the server decides", () => {
  it.each([
    ["POST", "/cart/items", { productId: "", quantity: 1, unitPrice: { amount: 1, currency: "USD" } }, "unitPrice"],
    ["POST", "/cart/items", { productId: "", quantity: 1, userId: "usr_01jd8x3v4k2m9q7r5t6w8y0zab" }, "userId"],
    ["PATCH", "/cart/items/{p}", { quantity: 1, price: { amount: 1, currency: "USD" } }, "price"],
    ["PATCH", "/cart/items/{p}", { quantity: 1, lineTotal: { amount: 1, currency: "USD" } }, "lineTotal"],
  ] as const)("%s %s refuses %s with 400 naming it; the line keeps its price", async (method, path, body, field) => {
    const me = await shopper();
    await call("POST", "/cart/items", { token: me.token, body: { productId, quantity: 1 } });
    const fixed = "productId" in body ? { ...body, productId } : body;
    const res = await call(method, path.replace("{p}", productId), { token: me.token, body: fixed });
    expect(res.status).toBe(400);
    expect((await problem(res)).errors?.map((e) => e.path)).toContain(field);
    const cart = (await (await call("GET", "/cart", { token: me.token })).json()) as Cart;
    expect(cart.lines.map((l) => [l.quantity, l.unitPrice?.amount])).toEqual([[1, 1250]]);
  });

  it.each([
    ["ship", { carrier: "DHL", trackingNumber: "JD01", status: "delivered" }, "status"],
    ["cancel", { reason: "x", userId: "usr_01jd8x3v4k2m9q7r5t6w8y0zab" }, "userId"],
  ] as const)("POST /orders/{id}/%s refuses %s with 400 naming it", async (verb, body, field) => {
    const who = verb === "ship" ? await shopper("admin") : owner;
    const before = await getOrder(owner, order.id);
    const res = await call("POST", `/orders/${order.id}/${verb}`, { token: who.token, body });
    expect(res.status).toBe(400);
    expect((await problem(res)).errors?.map((e) => e.path)).toContain(field);
    expect(await getOrder(owner, order.id)).toEqual(before);
  });
});
