import { SELF } from "cloudflare:test";
import { Hono } from "hono";
import { afterEach, describe, expect, it } from "vitest";
import * as armed from "../src/harness/armed";
import * as inert from "../src/harness/inert";

const put = (body: unknown) =>
  SELF.fetch("https://x/__faults", {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });

describe("test-only fault switches", () => {
  afterEach(async () => {
    await SELF.fetch("https://x/__faults", { method: "DELETE" });
  });

  it("fail a step the armed number of times, then disarm", async () => {
    expect((await put({ "fixture.step": { mode: "error", times: 2 } })).status).toBe(200);
    expect((await SELF.fetch("https://x/step")).status).toBe(500);
    expect((await SELF.fetch("https://x/step")).status).toBe(500);
    expect((await SELF.fetch("https://x/step")).status).toBe(200);
  });

  it("can take a whole worker down, but never its switchboard", async () => {
    await put({ "fixture.http": { mode: "error" } });
    expect((await SELF.fetch("https://x/health")).status).toBe(500);
    expect((await SELF.fetch("https://x/__faults")).status).toBe(200);
  });

  it("refuse a malformed fault spec with 400", async () => {
    const res = await put({ "fixture.step": { mode: "explode" } });
    expect(res.status).toBe(400);
  });

  it("do nothing in the inert harness production builds resolve to, whatever is armed", async () => {
    await put({ "fixture.step": { mode: "error" }, "fixture.alt": { mode: "error" } });
    await expect(armed.injectFault({}, "fixture.step")).rejects.toThrow(/injected/);
    await expect(inert.injectFault({}, "fixture.step")).resolves.toBeUndefined();
    expect(inert.faultArmed({}, "fixture.alt")).toBe(false);
    expect(armed.faultArmed({}, "fixture.alt")).toBe(true);
    const queue = { send: async () => {} } as unknown as Queue<unknown>;
    expect(inert.faultyQueue({}, queue, "fixture.step")).toBe(queue);
    const env = { DB: {} };
    expect(inert.meterD1(env)).toBe(env);
  });

  it("have no routes, no Server-Timing and no whole-worker fault in the inert harness", async () => {
    await put({ "inert.http": { mode: "error" } });
    const app = new Hono();
    inert.useHarness(app, "inert");
    inert.harnessRoutes(app, "inert");
    inert.relayFaults(app, () => ({ fetch: async () => new Response("relayed") }) as unknown as Fetcher);
    app.get("/health", (c) => c.text("ok"));
    const health = await app.request("/health");
    expect(health.status).toBe(200);
    expect(health.headers.get("server-timing")).toBeNull();
    for (const path of ["/__faults", "/__meters", "/__faults/products"]) {
      expect((await app.request(path)).status, path).toBe(404);
    }
  });

  it("are swapped by name: the armed harness offers every export of the inert one", () => {
    // Wrangler's alias swaps the modules whole; a name missing from one breaks only that build.
    const shape: typeof inert = armed;
    expect(Object.keys(armed).sort()).toEqual(Object.keys(shape).sort());
    expect(Object.keys(armed).sort()).toEqual(Object.keys(inert).sort());
  });
});

describe("duplicate delivery", () => {
  it("sends every message the armed number of times, only while armed", async () => {
    const { armFaults, clearFaults, faultyQueue } = await import("../src/harness/faults");
    const sent: unknown[] = [];
    const queue = {
      send: async (body: unknown) => void sent.push(body),
      sendBatch: async (msgs: Iterable<{ body: unknown }>) => void sent.push(...[...msgs].map((m) => m.body)),
    } as unknown as Queue<unknown>;
    const env = {};
    armFaults({ "q.dup": { mode: "duplicate", copies: 3, delayMs: 0, probability: 1, times: 1 } });
    const q = faultyQueue(env, queue, "q.dup");
    await q.send("a");
    await q.send("b");
    expect(sent).toEqual(["a", "a", "a", "b"]);
    clearFaults();
  });
});
