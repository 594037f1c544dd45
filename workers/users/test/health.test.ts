import { SELF } from "cloudflare:test";
import { expect, it } from "vitest";

it("answers health", async () => {
  const res = await SELF.fetch("https://users/health");
  expect(res.status).toBe(200);
  expect(await res.json()).toEqual({ status: "ok", worker: "users" });
});

it("has no benchmark meters in its production build (ADR 0015)", async () => {
  const res = await SELF.fetch("https://users/__meters");
  expect(res.status).toBe(404);
});
