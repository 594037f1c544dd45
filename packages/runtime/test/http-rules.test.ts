import { SELF } from "cloudflare:test";
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { MethodTable } from "../src/http-rules";

const call = (method: string, path: string, headers: Record<string, string> = {}) =>
  SELF.fetch(`https://x${path}`, { method, headers });

describe("405 Method Not Allowed", () => {
  it("answers a known path asked with another method with 405, Allow and a problem naming both", async () => {
    const res = await call("DELETE", "/validated");
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("POST");
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    const body = (await res.json()) as { code: string; detail: string; requestId: string };
    expect(body.code).toBe("method_not_allowed");
    expect(body.detail).toContain("DELETE");
    expect(body.detail).toContain("/validated");
    expect(body.requestId).toBe(res.headers.get("x-request-id"));
  });

  it("lists HEAD wherever GET is, and matches documented `{id}` paths as Hono's `:id`", async () => {
    const health = await call("POST", "/health");
    expect(health.status).toBe(405);
    expect(health.headers.get("allow")).toBe("GET, HEAD");
    const item = await call("PUT", "/items/it_1");
    expect(item.status).toBe(405);
    expect(item.headers.get("allow")).toBe("GET, HEAD, DELETE");
  });

  it("does not count middleware registered for a method as a route of that method", async () => {
    // `app.on(["POST", "PATCH"], "/items/*", …)` is middleware: POST is still not allowed.
    const res = await call("POST", "/items/it_1");
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("GET, HEAD, DELETE");
    // `/items` itself has only middleware: no route, so 404.
    expect((await call("GET", "/items")).status).toBe(404);
  });

  it("keeps unknown paths, and test-only paths that are switched off, a 404", async () => {
    const unknown = await call("DELETE", "/nowhere");
    expect(unknown.status).toBe(404);
    expect(unknown.headers.has("allow")).toBe(false);
    expect((await call("DELETE", "/openapi.json/extra")).status).toBe(404);
  });

  it("answers OPTIONS on a service path with 405 and its methods", async () => {
    const res = await call("OPTIONS", "/things");
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("POST");
  });

  it("learns routes added after its first lookup, and ignores routes for every method", () => {
    const app = new Hono();
    app.all("*", async (_c, next) => next());
    app.get("/a", (c) => c.text("a"));
    const table = new MethodTable(app);
    expect(table.allowed("/a")).toEqual(["GET", "HEAD"]);
    expect(table.allowed("/b")).toEqual([]);
    app.patch("/a", (c) => c.text("a"));
    app.post("/b/:id{[0-9]+}", (c) => c.text("b"));
    expect(table.allowed("/a")).toEqual(["GET", "HEAD", "PATCH"]);
    expect(table.allowed("/b/12")).toEqual(["POST"]);
    expect(table.allowed("/b/x")).toEqual([]);
  });
});

describe("HEAD", () => {
  it("answers HEAD like GET with no body", async () => {
    const get = await call("GET", "/items/it_1");
    const head = await call("HEAD", "/items/it_1");
    expect(head.status).toBe(200);
    expect(head.headers.get("content-type")).toBe(get.headers.get("content-type"));
    expect(await head.text()).toBe("");
  });
});

describe("Cache-Control on personal answers", () => {
  it("stores nothing a caller sent credentials for, or that was refused for lack of them", async () => {
    const mine = await call("GET", "/mine", { authorization: "Bearer good" });
    expect(mine.status).toBe(200);
    expect(mine.headers.get("cache-control")).toBe("no-store");
    const refused = await call("GET", "/mine");
    expect(refused.status).toBe(401);
    expect(refused.headers.get("cache-control")).toBe("no-store");
    const bad = await call("GET", "/mine", { authorization: "Bearer bad" });
    expect(bad.status).toBe(401);
    expect(bad.headers.get("cache-control")).toBe("no-store");
  });

  it("treats a cart token, the session cookie and a response that sets a cookie as personal", async () => {
    expect((await call("GET", "/plain", { "x-cart-id": "crt_x" })).headers.get("cache-control")).toBe("no-store");
    expect((await call("GET", "/plain", { cookie: "theme=dark; shop_refresh=abc" })).headers.get("cache-control")).toBe(
      "no-store",
    );
    expect((await call("POST", "/session")).headers.get("cache-control")).toBe("no-store");
  });

  it("leaves anonymous answers, and public data a route chose to cache, as they are", async () => {
    expect((await call("GET", "/plain")).headers.has("cache-control")).toBe(false);
    expect((await call("GET", "/plain", { cookie: "theme=dark" })).headers.has("cache-control")).toBe(false);
    const pub = await call("GET", "/public", { authorization: "Bearer good" });
    expect(pub.headers.get("cache-control")).toBe("public, max-age=60");
    expect(pub.headers.has("vary")).toBe(false);
  });

  it("varies on Authorization where the answer depends on the caller, cacheable for anonymous callers only", async () => {
    const anonymous = await call("GET", "/maybe-mine");
    expect(await anonymous.json()).toEqual({ mine: false });
    expect(anonymous.headers.get("cache-control")).toBe("public, max-age=60");
    expect(anonymous.headers.get("vary")).toContain("Authorization");
    const identified = await call("GET", "/maybe-mine", { authorization: "Bearer good" });
    expect(await identified.json()).toEqual({ mine: true });
    expect(identified.headers.get("cache-control")).toBe("no-store");
    expect(identified.headers.get("vary")).toContain("Authorization");
  });

  it("marks the 405 and 404 of a personal request no-store too", async () => {
    const res = await call("DELETE", "/mine", { authorization: "Bearer good" });
    expect(res.status).toBe(405);
    expect(res.headers.get("cache-control")).toBe("no-store");
  });
});
