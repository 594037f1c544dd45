import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";

const ORIGIN = "https://shop.test";
const BROWSER = "http://localhost:8787";

describe("405 at the edge", () => {
  it("answers the gateway's own paths asked with another method with 405 and Allow", async () => {
    for (const [method, path] of [
      ["DELETE", "/health"],
      ["POST", "/openapi.json"],
      ["PUT", "/docs"],
    ] as const) {
      const res = await SELF.fetch(`${ORIGIN}${path}`, { method, headers: { origin: BROWSER } });
      expect(res.status, `${method} ${path}`).toBe(405);
      expect(res.headers.get("allow"), path).toBe("GET, HEAD");
      const body = (await res.json()) as { code: string; detail: string };
      expect(body.code).toBe("method_not_allowed");
      expect(body.detail).toContain(`${method} is not allowed on ${path}`);
      // Edge policies still apply: a browser can read the answer, and it carries the security headers.
      expect(res.headers.get("access-control-allow-origin")).toBe(BROWSER);
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    }
  });

  it("keeps unknown paths a 404 and leaves service paths to their service", async () => {
    const unknown = await SELF.fetch(`${ORIGIN}/nowhere`, { method: "DELETE" });
    expect(unknown.status).toBe(404);
    expect(unknown.headers.has("allow")).toBe(false);
    // This suite's services answer every method: the gateway does not decide for them.
    const forwarded = await SELF.fetch(`${ORIGIN}/products`, { method: "DELETE" });
    expect(forwarded.status).toBe(200);
    expect(((await forwarded.json()) as { seen: { method: string } }).seen.method).toBe("DELETE");
  });

  it("still answers CORS preflights on its own paths", async () => {
    const res = await SELF.fetch(`${ORIGIN}/health`, {
      method: "OPTIONS",
      headers: { origin: BROWSER, "access-control-request-method": "GET" },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe(BROWSER);
  });
});

describe("HEAD at the edge", () => {
  it("answers HEAD like GET without a body, on its own routes and forwarded ones", async () => {
    for (const path of ["/openapi.json", "/docs", "/health", "/products?q=head", "/users/me"]) {
      const get = await SELF.fetch(`${ORIGIN}${path}`);
      await get.body?.cancel();
      const head = await SELF.fetch(`${ORIGIN}${path}`, { method: "HEAD" });
      expect(head.status, path).toBe(get.status);
      expect(head.headers.get("content-type"), path).toBe(get.headers.get("content-type"));
      expect(await head.text(), path).toBe("");
    }
  });

  it("answers a catalog HEAD from the last good copy while products fails, and never keeps a HEAD", async () => {
    const url = `${ORIGIN}/products?q=head-fallback-${Date.now()}`;
    const fresh = await SELF.fetch(url);
    expect(fresh.status).toBe(200);
    await fresh.text(); // the copy is written as the client reads
    await new Promise((r) => setTimeout(r, 50));
    const stale = await SELF.fetch(url, { method: "HEAD", headers: { "x-test-fail": "1" } });
    expect(stale.status).toBe(200);
    expect(stale.headers.get("x-cache")).toBe("stale-edge");
    expect(await stale.text()).toBe("");

    const headOnly = `${ORIGIN}/products?q=head-only-${Date.now()}`;
    expect((await SELF.fetch(headOnly, { method: "HEAD" })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 50));
    expect((await SELF.fetch(headOnly, { headers: { "x-test-fail": "1" } })).status).toBe(500);
  });
});

describe("no-store on personal answers at the edge", () => {
  it("marks answers to signed-in, cart and session requests no-store, and leaves anonymous ones alone", async () => {
    const signedIn = await SELF.fetch(`${ORIGIN}/users/me`, { headers: { authorization: "Bearer x" } });
    expect(signedIn.headers.get("cache-control")).toBe("no-store");
    const cart = await SELF.fetch(`${ORIGIN}/cart`, { headers: { "x-cart-id": "crt_x" } });
    expect(cart.headers.get("cache-control")).toBe("no-store");
    const session = await SELF.fetch(`${ORIGIN}/users/refresh`, {
      method: "POST",
      headers: { cookie: "shop_refresh=t" },
    });
    expect(session.headers.get("cache-control")).toBe("no-store");
    const anonymous = await SELF.fetch(`${ORIGIN}/categories`);
    expect(anonymous.headers.get("cache-control")).toBeNull();
  });

  it("never keeps a catalog answer the service marked personal in the shared copy", async () => {
    for (const header of [{ "x-test-cache-control": "no-store" }, { "x-test-cache-control": "private, max-age=60" }]) {
      const url = `${ORIGIN}/products?q=personal-${Date.now()}`;
      const res = await SELF.fetch(url, { headers: header });
      expect(res.status).toBe(200);
      await res.text();
      await new Promise((r) => setTimeout(r, 50));
      expect((await SELF.fetch(url, { headers: { "x-test-fail": "1" } })).status).toBe(500);
    }
    const cookie = await SELF.fetch(`${ORIGIN}/products?q=cookie-${Date.now()}`, {
      headers: { "x-test-set-cookie": "k=v" },
    });
    expect(cookie.headers.get("cache-control")).toBe("no-store");
    await cookie.body?.cancel();
  });
});
