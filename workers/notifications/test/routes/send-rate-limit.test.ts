import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { CLIENT_IP_HEADER } from "@shop/contracts";
import { bearer } from "@shop/testing/worker";
import { describe, expect, it } from "vitest";
import worker from "../../src/index";
import { adminToken } from "../helpers";

/** The suite runs with RATE_LIMITS off (vitest.config.ts); here they are on, as in every deployed environment. */
const limited = Object.create(env, { RATE_LIMITS: { value: "on", enumerable: true } });

/** An invalid body: a 400 that still counts (the limit runs before the body is parsed and before D1). */
async function badSend(token: string, ip?: string): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await worker.fetch(
    new Request("https://notifications/notifications/send", {
      method: "POST",
      headers: { "content-type": "application/json", ...bearer(token), ...(ip ? { [CLIENT_IP_HEADER]: ip } : {}) },
      body: JSON.stringify({}),
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
  expect(((await res.json()) as { code: string }).code).toBe("rate_limited");
}

describe("POST /notifications/send rate limits", () => {
  it("refuses an admin's 11th send within a minute with 429 + Retry-After", async () => {
    const admin = await adminToken();
    for (let i = 0; i < 10; i++) expect((await badSend(admin.token)).status).toBe(400);
    await expectRateLimited(await badSend(admin.token));
  });

  it("limits one client address across admins (30 a minute)", async () => {
    const ip = "203.0.113.9";
    for (let i = 0; i < 30; i++) expect((await badSend((await adminToken()).token, ip)).status).toBe(400);
    await expectRateLimited(await badSend((await adminToken()).token, ip));
  });
});
