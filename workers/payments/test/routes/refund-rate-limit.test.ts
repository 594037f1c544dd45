import { CLIENT_IP_HEADER } from "@shop/contracts";
import { describe, expect, it } from "vitest";
import { createInput, harness, tokenFor, userId } from "../helpers";

/** The suite runs with RATE_LIMITS off (vitest.config.ts); here they are on, as in every deployed environment. */
const h = harness({ RATE_LIMITS: "on" } as never);

/** No Idempotency-Key: a cheap 400 that still counts, because the limit runs before the request is parsed. */
async function badRefund(id: string, token: Record<string, string>, ip?: string) {
  return h.fetch(`/payments/${id}/refund`, {
    method: "POST",
    headers: { "content-type": "application/json", ...token, ...(ip ? { [CLIENT_IP_HEADER]: ip } : {}) },
    body: JSON.stringify({ reason: "requested_by_customer" }),
  });
}

async function expectRateLimited(res: Response) {
  expect(res.status).toBe(429);
  expect(res.headers.get("retry-after")).toBe("60");
  expect(((await res.json()) as { code: string }).code).toBe("rate_limited");
}

describe("POST /payments/{id}/refund rate limits", () => {
  it("refuses an admin's 21st refund within a minute with 429 + Retry-After, and refunds nothing", async () => {
    const created = await h.rpc.create(createInput({ amount: 5000 }));
    await h.deliver();
    const admin = await tokenFor(userId(), "admin");
    for (let i = 0; i < 20; i++) expect((await badRefund(created.paymentId, admin)).status).toBe(400);
    const refused = await h.fetch(`/payments/${created.paymentId}/refund`, {
      method: "POST",
      headers: { "content-type": "application/json", "idempotency-key": "refund-limit-0001", ...admin },
      body: JSON.stringify({ reason: "requested_by_customer" }),
    });
    await expectRateLimited(refused);
    expect((await h.rpc.get(created.paymentId))?.amountRefunded).toBe(0);
  });

  it("limits one client address across admins (40 a minute)", async () => {
    const ip = "203.0.113.77";
    const id = (await h.rpc.create(createInput())).paymentId;
    for (let i = 0; i < 40; i++) expect((await badRefund(id, await tokenFor(userId(), "admin"), ip)).status).toBe(400);
    await expectRateLimited(await badRefund(id, await tokenFor(userId(), "admin"), ip));
  });

  it("answers a customer 403, not 429: the role is checked first", async () => {
    const id = (await h.rpc.create(createInput())).paymentId;
    const customer = await tokenFor(userId());
    for (let i = 0; i < 25; i++) expect((await badRefund(id, customer)).status).toBe(403);
  });
});
