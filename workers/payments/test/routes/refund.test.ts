import { env } from "cloudflare:test";
import { sha256Hex } from "@shop/runtime";
import { describe, expect, it } from "vitest";
import { paymentProvider } from "../../src/services/payments/gateway";
import { type PaymentProvider, ProviderUnavailableError } from "../../src/services/providers/provider";
import { createInput, harness, tokenFor, userId } from "../helpers";

async function paidPayment(h: ReturnType<typeof harness>, amount = 5000, owner = userId()) {
  const created = await h.rpc.create(createInput({ amount, userId: owner }));
  await h.deliver();
  return created.paymentId;
}

async function refund(
  h: ReturnType<typeof harness>,
  id: string,
  body: unknown,
  opts: { key?: string | null; token?: Record<string, string> } = {},
) {
  const headers: Record<string, string> = {
    "content-type": "application/json",
    ...(opts.token ?? (await tokenFor(userId(), "admin"))),
  };
  if (opts.key !== null) headers["idempotency-key"] = opts.key ?? `key-${crypto.randomUUID()}`;
  return h.fetch(`/payments/${id}/refund`, { method: "POST", headers, body: JSON.stringify(body) });
}

describe("POST /payments/{id}/refund", () => {
  it("an admin refunds part, then the rest; the payment reads partially_refunded, then refunded", async () => {
    const h = harness();
    const id = await paidPayment(h);
    const first = await refund(h, id, { amount: 1500, reason: "requested_by_customer" });
    expect(first.status).toBe(201);
    expect(await first.json()).toMatchObject({
      refund: { paymentId: id, amount: 1500, status: "succeeded" },
      payment: { id, status: "partially_refunded", amountRefunded: 1500 },
    });
    const rest = await refund(h, id, { reason: "returned" });
    expect(await rest.json()).toMatchObject({
      refund: { amount: 3500 },
      payment: { status: "refunded", amountRefunded: 5000 },
    });
    expect(h.statuses().slice(-2)).toEqual(["partially_refunded", "refunded"]);
  });

  it("the gateway is down: 503 + Retry-After and nothing stored under the key; the same key refunds once it is back", async () => {
    const h = harness();
    const id = await paidPayment(h, 3000);
    const real = paymentProvider(h.context());
    const gateway: PaymentProvider = Object.assign(Object.create(Object.getPrototypeOf(real)), real, {
      refund: async () => {
        throw new ProviderUnavailableError("stripe: 503");
      },
    });
    const down = harness({ PAYMENT_GATEWAY: gateway });
    const token = await tokenFor(userId(), "admin");
    const refused = await refund(down, id, { amount: 1000, reason: "late" }, { key: "down-key", token });
    expect(refused.status).toBe(503);
    expect(refused.headers.get("retry-after")).toBe("5");
    expect(await refused.json()).toMatchObject({ code: "service_unavailable" });

    const retried = await refund(h, id, { amount: 1000, reason: "late" }, { key: "down-key", token });
    expect(retried.status).toBe(201);
    expect(retried.headers.get("idempotent-replayed")).toBeNull();
    expect(await retried.json()).toMatchObject({ payment: { status: "partially_refunded", amountRefunded: 1000 } });
    expect(h.statuses().filter((s) => s === "partially_refunded")).toHaveLength(1);
  });

  it("same key + same body replays the first response without refunding twice", async () => {
    const h = harness();
    const id = await paidPayment(h);
    const token = await tokenFor(userId(), "admin");
    const a = await refund(h, id, { amount: 1000, reason: "late" }, { key: "replay-key-1", token });
    const b = await refund(h, id, { amount: 1000, reason: "late" }, { key: "replay-key-1", token });
    expect(b.status).toBe(a.status);
    expect(b.headers.get("idempotent-replayed")).toBe("true");
    expect(await b.json()).toEqual(await a.json());
    const row = await env.DB.prepare("SELECT amount_refunded FROM payments WHERE id = ?").bind(id).first();
    expect(row?.amount_refunded).toBe(1000);
  });

  it("same key + other body → 422; missing key → 400; key in flight → 409", async () => {
    const h = harness();
    const id = await paidPayment(h);
    const token = await tokenFor(userId(), "admin");
    await refund(h, id, { amount: 1000, reason: "late" }, { key: "reused-key-1", token });
    const other = await refund(h, id, { amount: 2000, reason: "late" }, { key: "reused-key-1", token });
    expect(other.status).toBe(422);
    expect(await other.json()).toMatchObject({ code: "idempotency_key_reused" });

    const missing = await refund(h, id, { amount: 1000, reason: "late" }, { key: null, token });
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({ errors: [{ path: "idempotency-key" }] });

    // A first request that is still running holds the key.
    const principal = JSON.parse(atob((token.authorization ?? "").split(".")[1] ?? "")) as { sub: string };
    const fingerprint = await sha256Hex(JSON.stringify(["POST /payments/{id}/refund", id, 500, "late"]));
    await env.DB.prepare(
      "INSERT INTO idempotency_records (key, scope, fingerprint, state, created_at, claimed_at) VALUES (?1, ?2, ?3, 'in_flight', ?4, ?4)",
    )
      .bind("inflight-key-1", `refund:${principal.sub}`, fingerprint, Date.now())
      .run();
    const inFlight = await refund(h, id, { amount: 500, reason: "late" }, { key: "inflight-key-1", token });
    expect(inFlight.status).toBe(409);
    expect(await inFlight.json()).toMatchObject({ code: "idempotency_in_flight" });
  });

  it("a key older than 24 h is forgotten: the request runs again", async () => {
    const h = harness();
    const id = await paidPayment(h);
    const token = await tokenFor(userId(), "admin");
    await refund(h, id, { amount: 1000, reason: "late" }, { key: "old-key-123", token });
    await env.DB.prepare("UPDATE idempotency_records SET created_at = ? WHERE key = 'old-key-123'")
      .bind(Date.now() - 25 * 3600_000)
      .run();
    const again = await refund(h, id, { amount: 2000, reason: "late" }, { key: "old-key-123", token });
    expect(again.status).toBe(201);
    expect(again.headers.get("idempotent-replayed")).toBeNull();
  });

  it("more than was paid → 422 and nothing refunded", async () => {
    const h = harness();
    const id = await paidPayment(h, 3000);
    const res = await refund(h, id, { amount: 3001, reason: "too much" });
    expect(res.status).toBe(422);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    const row = await env.DB.prepare("SELECT amount_refunded, status FROM payments WHERE id = ?").bind(id).first();
    expect(row).toEqual({ amount_refunded: 0, status: "succeeded" });
  });

  it("a payment that has not succeeded → 409; unknown payment → 404", async () => {
    const h = harness();
    const pending = await h.rpc.create(createInput({ paymentMethod: "pm_usBankAccount_success" }));
    expect(pending.status).toBe("processing");
    expect((await refund(h, pending.paymentId, { reason: "x" })).status).toBe(409);
    expect((await refund(h, "pay_01jd8x3v4k2m9q7r5t6w8y0zab", { reason: "x" })).status).toBe(404);
  });

  it("bad body → 400 naming the field (unknown fields too)", async () => {
    const h = harness();
    const id = await paidPayment(h);
    for (const [body, path] of [
      [{ amount: 0, reason: "x" }, "amount"],
      [{ amount: 1.5, reason: "x" }, "amount"],
      [{ amount: 100 }, "reason"],
      [{ reason: "x", status: "refunded" }, "status"],
    ] as const) {
      const res = await refund(h, id, body);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { errors: { path: string }[] }).errors.map((e) => e.path)).toContain(path);
    }
  });

  it("a customer (even the owner) → 403; no token → 401", async () => {
    const h = harness();
    const owner = userId();
    const id = await paidPayment(h, 5000, owner);
    expect((await refund(h, id, { reason: "mine" }, { token: await tokenFor(owner) })).status).toBe(403);
    expect((await refund(h, id, { reason: "mine" }, { token: {} })).status).toBe(401);
    const row = await env.DB.prepare("SELECT amount_refunded FROM payments WHERE id = ?").bind(id).first();
    expect(row?.amount_refunded).toBe(0);
  });
});
