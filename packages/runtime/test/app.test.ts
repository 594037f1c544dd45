import { env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { decodeCursor, encodeCursor } from "../src/cursor";
import { isolateRoundTrips, meterD1 } from "../src/harness/d1-round-trips";

const post = (path: string, body: string, type = "application/json") =>
  SELF.fetch(`https://x${path}`, { method: "POST", headers: { "content-type": type }, body });

describe("createApp", () => {
  it("names every failing and unknown field in a 400 problem", async () => {
    const res = await post("/validated", JSON.stringify({ name: "toolong", qty: 0, role: "admin" }));
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    const body = (await res.json()) as { code: string; errors: { path: string }[]; requestId: string };
    expect(body.code).toBe("validation_failed");
    expect(body.errors.map((e) => e.path).sort()).toEqual(["name", "qty", "role"]);
    expect(body.requestId).toBe(res.headers.get("x-request-id"));
  });

  it("answers malformed JSON with 400, a wrong content type with 415 and a huge body with 413", async () => {
    const malformed = await post("/validated", "{not json");
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as { detail: string }).detail).toMatch(/JSON/);
    expect((await post("/validated", "name=a", "text/plain")).status).toBe(415);
    const huge = await post("/validated", JSON.stringify({ name: "x".repeat(1024 * 1024) }));
    expect(huge.status).toBe(413);
  });

  it("lets a declared upload route take raw bytes up to its own limit, and only that method and path", async () => {
    const upload = (method: string, size: number) =>
      SELF.fetch("https://x/upload", {
        method,
        headers: { "content-type": "image/png" },
        body: new Uint8Array(size),
      });
    const big = await upload("PUT", 1536 * 1024);
    expect(big.status).toBe(200);
    expect(await big.json()).toEqual({ bytes: 1536 * 1024 });
    const tooBig = await upload("PUT", 2 * 1024 * 1024 + 1);
    expect(tooBig.status).toBe(413);
    expect(((await tooBig.json()) as { detail: string }).detail).toMatch(/2097152 bytes/);
    // Another method on the same path keeps the JSON rules.
    expect((await upload("POST", 10)).status).toBe(415);
  });

  it("hides unexpected errors behind a 500 problem without internals", async () => {
    const res = await SELF.fetch("https://x/boom");
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(text).not.toContain("secret internals");
    expect(JSON.parse(text).code).toBe("internal");
  });

  it("carries extension members on a problem without letting them override the standard ones", async () => {
    const res = await SELF.fetch("https://x/short");
    expect(res.status).toBe(409);
    const body = (await res.json()) as { code: string; lines: unknown[] };
    expect(body.code).toBe("insufficient_stock");
    expect(body.lines).toEqual([{ productId: "prd_x", requested: 3, available: 1 }]);
  });

  it("answers unknown routes with a 404 problem", async () => {
    const res = await SELF.fetch("https://x/nowhere");
    expect(res.status).toBe(404);
    expect(((await res.json()) as { code: string }).code).toBe("not_found");
  });

  it("keeps a valid incoming request id and continues the caller's trace", async () => {
    const res = await SELF.fetch("https://x/health", {
      headers: {
        "x-request-id": "req-12345678",
        traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
      },
    });
    expect(res.headers.get("x-request-id")).toBe("req-12345678");
    const bad = await SELF.fetch("https://x/health", { headers: { "x-request-id": "<script>" } });
    expect(bad.headers.get("x-request-id")).not.toBe("<script>");
  });

  it("adds every round trip to the isolate's total, read over GET /__meters (armed harness)", async () => {
    const read = async () => (await (await SELF.fetch("https://x/__meters")).json()) as { d1RoundTrips: number };
    const before = (await read()).d1RoundTrips;
    await SELF.fetch("https://x/trips");
    expect((await read()).d1RoundTrips).toBe(before + 2);

    // Entry points outside the app (RPC, Durable Objects, queues) meter their env with meterD1.
    const raw = env as unknown as { DB: D1Database };
    const metered = meterD1(raw);
    const start = isolateRoundTrips();
    await metered.DB.prepare("select 1").first();
    await metered.DB.batch([metered.DB.prepare("select 1"), metered.DB.prepare("select ?").bind(2)]);
    await raw.DB.prepare("select 1").first(); // the raw binding is not counted
    expect(isolateRoundTrips()).toBe(start + 2);
    expect(meterD1(metered)).toBe(metered);
  });

  it("reports the D1 round trips a request made in Server-Timing (armed harness; a batch is one)", async () => {
    const res = await SELF.fetch("https://x/trips");
    expect(res.status).toBe(200);
    expect(res.headers.get("server-timing")).toContain('d1;desc="2 round trips"');
    const none = await SELF.fetch("https://x/health");
    expect(none.headers.get("server-timing")).toContain('d1;desc="0 round trips"');
  });
});

describe("openapi option", () => {
  it("serves the worker's own document with its routes and the bearer scheme", async () => {
    const res = await SELF.fetch("https://x/openapi.json");
    expect(res.status).toBe(200);
    const doc = (await res.json()) as {
      info: { title: string };
      paths: Record<string, unknown>;
      components: { securitySchemes: Record<string, unknown> };
    };
    expect(doc.info.title).toBe("Fixture");
    expect(Object.keys(doc.paths)).toContain("/validated");
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: "http", scheme: "bearer" });
  });
});

describe("cursors", () => {
  it("round-trips a sort key and refuses anything it did not issue", () => {
    const c = encodeCursor([1999, "prd_01jd8x3v4k2m9q7r5t6w8y0zab"]);
    expect(decodeCursor(c)).toEqual([1999, "prd_01jd8x3v4k2m9q7r5t6w8y0zab"]);
    for (const bad of ["%%%", "abc", encodeCursor([]), "x".repeat(700)]) {
      expect(() => decodeCursor(bad)).toThrowError(/cursor/);
    }
  });
});
