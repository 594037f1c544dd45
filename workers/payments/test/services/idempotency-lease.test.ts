import { env } from "cloudflare:test";
import { IDEMPOTENCY_LEASE_MS, IdempotencyInFlightError, runIdempotent } from "@shop/runtime";
import { describe, expect, it } from "vitest";
import { harness, tokenFor, userId } from "../helpers";
import { crashedClaim, crashedRefund, money, paidPayment } from "./refund-crash";

async function refund(h: ReturnType<typeof harness>, adminId: string, id: string, key: string, body: unknown) {
  return h.fetch(`/payments/${id}/refund`, {
    method: "POST",
    headers: { "content-type": "application/json", "idempotency-key": key, ...(await tokenFor(adminId, "admin")) },
    body: JSON.stringify(body),
  });
}

describe("POST /payments/{id}/refund after a crash mid-refund", () => {
  it("a claim older than the lease is taken over and the refund completes once", async () => {
    const h = harness();
    const adminId = userId();
    const id = await paidPayment(h, 5000);
    const key = `crash-${crypto.randomUUID()}`;
    const body = { amount: 2000, reason: "requested_by_customer" };
    // The first request reserved the refund, then its worker died before the gateway answered.
    const refundId = await crashedRefund(id, { amount: 2000, key, reason: body.reason });
    await crashedClaim({ adminId, paymentId: id, key, ...body, ageMs: IDEMPOTENCY_LEASE_MS + 5_000 });

    const retry = await refund(h, adminId, id, key, body);
    expect(retry.status).toBe(201);
    expect(retry.headers.get("idempotent-replayed")).toBeNull();
    const view = await retry.json();
    expect(view).toMatchObject({
      refund: { id: refundId, amount: 2000, status: "succeeded" },
      payment: { id, status: "partially_refunded", amountRefunded: 2000 },
    });

    // The stored answer is the one replayed from now on.
    const again = await refund(h, adminId, id, key, body);
    expect(again.status).toBe(201);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(await again.json()).toEqual(view);

    expect(await money(id)).toMatchObject({
      amount_refunded: 2000,
      amount_refund_pending: 0,
      refunds: [{ amount: 2000, status: "succeeded" }],
    });
    const mine = h.events.filter((e) => e.body.data.paymentId === id).map((e) => e.body.data.status);
    expect(mine.filter((s) => s === "partially_refunded")).toHaveLength(1);
  });

  it("a live claim (younger than the lease) still answers 409 and changes nothing", async () => {
    const h = harness();
    const adminId = userId();
    const id = await paidPayment(h, 5000);
    const key = `live-${crypto.randomUUID()}`;
    const body = { amount: 1000, reason: "late" };
    await crashedRefund(id, { amount: 1000, key, reason: body.reason, ageMs: 1_000 });
    await crashedClaim({ adminId, paymentId: id, key, ...body, ageMs: IDEMPOTENCY_LEASE_MS - 10_000 });

    const res = await refund(h, adminId, id, key, body);
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ code: "idempotency_in_flight" });
    expect(await money(id)).toMatchObject({
      amount_refunded: 0,
      amount_refund_pending: 1000,
      refunds: [{ status: "pending" }],
    });
  });

  it("a stale claim is not taken over by another body: 422, and it stays in flight", async () => {
    const h = harness();
    const adminId = userId();
    const id = await paidPayment(h, 5000);
    const key = `other-${crypto.randomUUID()}`;
    await crashedClaim({ adminId, paymentId: id, key, amount: 1000, reason: "late", ageMs: 10 * 60_000 });

    const res = await refund(h, adminId, id, key, { amount: 3000, reason: "late" });
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({ code: "idempotency_key_reused" });
    const claim = await env.DB.prepare("SELECT state FROM idempotency_records WHERE key = ?").bind(key).first();
    expect(claim?.state).toBe("in_flight");
    expect((await money(id)).amount_refunded).toBe(0);
  });
});

describe("runIdempotent: the in_flight claim is a lease", () => {
  const fingerprint = "f".repeat(64);

  async function staleClaim(scope: string, key: string) {
    await env.DB.prepare(
      "INSERT INTO idempotency_records (key, scope, fingerprint, state, created_at, claimed_at) VALUES (?1, ?2, ?3, 'in_flight', ?4, ?4)",
    )
      .bind(key, scope, fingerprint, Date.now() - IDEMPOTENCY_LEASE_MS - 1_000)
      .run();
  }

  it("of two requests that find the same stale claim, exactly one takes it over and runs", async () => {
    const db = env.DB;
    const claim = { scope: `test:${crypto.randomUUID()}`, key: "k-race", fingerprint };
    await staleClaim(claim.scope, claim.key);
    let runs = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const run = async () => {
      runs++;
      await gate; // the winner is still working while the loser arrives
      return { ok: true as const, value: { done: true } };
    };
    const settled = Promise.allSettled([runIdempotent(db, claim, run), runIdempotent(db, claim, run)]);
    await new Promise((r) => setTimeout(r, 200));
    release();
    const [a, b] = await settled;
    const outcomes = [a, b].map((r) =>
      r.status === "fulfilled" ? "ran" : r.reason instanceof IdempotencyInFlightError ? "in flight" : String(r.reason),
    );
    expect(outcomes.sort()).toEqual(["in flight", "ran"]);
    expect(runs).toBe(1);
  });

  it("an overtaken slow request cannot overwrite or free the claim of the one that took over", async () => {
    const db = env.DB;
    const claim = { scope: `test:${crypto.randomUUID()}`, key: "k-slow", fingerprint };
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const slow = runIdempotent(db, claim, async () => {
      await gate;
      throw new Error("worker lost its gateway connection"); // a 5xx would normally free the key
    });
    await new Promise((r) => setTimeout(r, 100));
    // The slow request's lease runs out while it is still running.
    await env.DB.prepare("UPDATE idempotency_records SET claimed_at = ? WHERE scope = ? AND key = ?")
      .bind(Date.now() - IDEMPOTENCY_LEASE_MS - 1_000, claim.scope, claim.key)
      .run();
    const taker = await runIdempotent(db, claim, async () => ({ ok: true, value: { by: "taker" } }));
    expect(taker).toEqual({ ok: true, value: { by: "taker" }, replayed: false });

    release();
    await expect(slow).rejects.toThrow("gateway connection");
    const replay = await runIdempotent(db, claim, async () => ({ ok: true, value: { by: "third" } }));
    expect(replay).toEqual({ ok: true, value: { by: "taker" }, replayed: true });
  });
});
