import { beforeAll, describe, expect, it } from "vitest";
import { ADMIN, baseUrl, call, DEMO, login } from "../support/http";
import { createProduct } from "../support/shop";

/** HTTP as the protocol says: 405 + Allow for a wrong method, no-store on personal answers, HEAD like GET. */
let customer: string;
let admin: string;
let productId: string;
beforeAll(async () => {
  customer = (await login(DEMO)).accessToken;
  admin = (await login(ADMIN)).accessToken;
  productId = (await createProduct(5)).id;
});

describe("405 Method Not Allowed, through the gateway", () => {
  it("answers a wrong method on a known path of every service with 405, Allow and a problem", async () => {
    const cases: [method: string, path: string, allow: string][] = [
      ["DELETE", "/users/me", "GET, HEAD, PATCH"],
      ["DELETE", "/products", "GET, HEAD, POST"],
      ["PUT", `/products/${productId}`, "GET, HEAD, PATCH, DELETE"],
      ["DELETE", "/orders", "GET, HEAD, POST"],
      ["PUT", "/cart", "GET, HEAD, DELETE"],
      ["DELETE", "/payments", "GET, HEAD"],
      ["DELETE", "/notifications", "GET, HEAD"],
      ["POST", "/notifications/preferences", "GET, HEAD, PUT"],
      ["DELETE", "/health", "GET, HEAD"],
      ["POST", "/openapi.json", "GET, HEAD"],
    ];
    for (const [method, path, allow] of cases) {
      const res = await call(method, path, { token: customer });
      expect(res.status, `${method} ${path}`).toBe(405);
      expect(res.headers.get("allow"), `${method} ${path}`).toBe(allow);
      expect(res.headers.get("content-type"), path).toContain("application/problem+json");
      expect(res.body.code, path).toBe("method_not_allowed");
      expect(res.body.detail, path).toContain(`${method} is not allowed on ${path}`);
    }
  });

  it("keeps unknown paths a 404", async () => {
    const res = await call("DELETE", "/products-and-more", { token: customer });
    expect(res.status).toBe(404);
    expect(res.headers.get("allow")).toBeNull();
    expect((await call("DELETE", "/users/me/nothing-here", { token: customer })).status).toBe(404);
  });
});

describe("Cache-Control on personal answers", () => {
  it("marks a signed-in caller's account, orders and cart no-store, and the refusal of an anonymous one", async () => {
    for (const path of ["/users/me", "/orders", "/cart"]) {
      const res = await call("GET", path, { token: customer });
      expect(res.status, path).toBe(200);
      expect(res.headers.get("cache-control"), path).toBe("no-store");
    }
    // The cart answers guests and members differently.
    expect((await call("GET", "/cart", { token: customer })).headers.get("vary")).toMatch(/authorization/i);
    const refused = await call("GET", "/users/me");
    expect(refused.status).toBe(401);
    expect(refused.headers.get("cache-control")).toBe("no-store");
  });

  it("marks a guest cart no-store", async () => {
    const added = await call("POST", "/cart/items", { body: { productId, quantity: 1 } });
    expect(added.status, JSON.stringify(added.body)).toBe(200);
    expect(added.headers.get("cache-control")).toBe("no-store");
    const cartId = added.headers.get("x-cart-id");
    expect(cartId).toBeTruthy();
    const cart = await call("GET", "/cart", { headers: { "x-cart-id": cartId as string } });
    expect(cart.status).toBe(200);
    expect(cart.headers.get("cache-control")).toBe("no-store");
  });

  it("keeps the public catalog cacheable, for anonymous and signed-in readers alike", async () => {
    for (const token of [undefined, admin]) {
      for (const path of ["/products?limit=3", `/products/${productId}`, "/categories"]) {
        const res = await call("GET", path, { token });
        expect(res.status, path).toBe(200);
        expect(res.headers.get("cache-control"), path).toMatch(/^public/);
      }
    }
  });
});

describe("HEAD, through the gateway", () => {
  it("answers HEAD like GET, without a body", async () => {
    for (const path of ["/products?limit=3", `/products/${productId}`, "/health", "/openapi.json", "/"]) {
      const get = await fetch(`${baseUrl()}${path}`);
      const getBody = await get.arrayBuffer();
      const head = await fetch(`${baseUrl()}${path}`, { method: "HEAD" });
      expect(head.status, path).toBe(get.status);
      expect(head.headers.get("content-type"), path).toBe(get.headers.get("content-type"));
      expect(head.headers.get("etag"), path).toBe(get.headers.get("etag"));
      expect(head.headers.get("cache-control"), path).toBe(get.headers.get("cache-control"));
      const length = head.headers.get("content-length");
      // A length, when given, is the GET body's.
      if (length !== null) expect(Number(length), path).toBe(getBody.byteLength);
      expect((await head.arrayBuffer()).byteLength, path).toBe(0);
    }
  });

  it("answers HEAD of a signed-in read like its GET", async () => {
    const head = await fetch(`${baseUrl()}/users/me`, {
      method: "HEAD",
      headers: { authorization: `Bearer ${customer}` },
    });
    expect(head.status).toBe(200);
    expect(head.headers.get("cache-control")).toBe("no-store");
    expect((await head.arrayBuffer()).byteLength).toBe(0);
  });
});
