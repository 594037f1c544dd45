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
