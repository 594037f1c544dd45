import { SELF } from "cloudflare:test";
import { afterEach, describe, expect, it } from "vitest";
import { injectFault } from "../src/faults";

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

  it("are inert without the switch, whatever is armed", async () => {
    await put({ "fixture.step": { mode: "error" } });
    await expect(injectFault({}, "fixture.step")).resolves.toBeUndefined();
    await expect(injectFault({ FAULT_INJECTION: "off" }, "fixture.step")).resolves.toBeUndefined();
    await expect(injectFault({ FAULT_INJECTION: "on" }, "fixture.step")).rejects.toThrow(/injected/);
  });
});

describe("duplicate delivery", () => {
  it("sends every message the armed number of times, only while armed", async () => {
    const { armFaults, clearFaults, faultyQueue } = await import("../src/faults");
    const sent: unknown[] = [];
    const queue = {
      send: async (body: unknown) => void sent.push(body),
      sendBatch: async (msgs: Iterable<{ body: unknown }>) => void sent.push(...[...msgs].map((m) => m.body)),
    } as unknown as Queue<unknown>;
    const env = { FAULT_INJECTION: "on" };
    armFaults({ "q.dup": { mode: "duplicate", copies: 3, delayMs: 0, probability: 1, times: 1 } });
    const q = faultyQueue(env, queue, "q.dup");
    await q.send("a");
    await q.send("b");
    expect(sent).toEqual(["a", "a", "a", "b"]);
    expect(faultyQueue({}, queue, "q.dup")).toBe(queue);
    clearFaults();
  });
});
