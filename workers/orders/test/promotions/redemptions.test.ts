import { env } from "cloudflare:test";
import { newId } from "@shop/runtime";
import { describe, expect, it } from "vitest";
import { database } from "../../src/db/client";
import { createPromotion, getPromotion } from "../../src/services/promotions/promotion-store";
import { claimPromotionUses, releasePromotionUses } from "../../src/services/promotions/redemptions";

const db = database(env.DB);

const promo = (extra: { usageLimit?: number; perCustomerLimit?: number } = {}) =>
  createPromotion(db, {
    code: `C${crypto.randomUUID().slice(0, 8)}`,
    name: "Ten off",
    discount: { kind: "percentage", percent: 10 },
    target: { scope: "order" },
    ...extra,
  });

async function ledger(promotionId: string) {
  const { results } = await env.DB.prepare(
    "SELECT order_id, state FROM promotion_redemptions WHERE promotion_id = ?1 ORDER BY order_id",
  )
    .bind(promotionId)
    .all<{ order_id: string; state: string }>();
  return results;
}

describe("claimPromotionUses: limits held by the database", () => {
  it("100 concurrent claims on a code limited to 10 → exactly 10 succeed, counter 10", async () => {
    const p = await promo({ usageLimit: 10 });
    const results = await Promise.all(
      Array.from({ length: 100 }, () =>
        claimPromotionUses(db, { orderId: newId("order"), customerId: newId("user"), promotionIds: [p.id] }),
      ),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(10);
    expect(results.filter((r) => !r.ok).every((r) => !r.ok && r.reason === "used_up")).toBe(true);
    expect((await getPromotion(db, p.id)).uses).toBe(10);
    expect((await ledger(p.id)).filter((r) => r.state === "claimed")).toHaveLength(10);
  });

  it("all or nothing: one promotion used up → none of the order's promotions is claimed", async () => {
    const free = await promo();
    const full = await promo({ usageLimit: 1 });
    expect(
      await claimPromotionUses(db, { orderId: newId("order"), customerId: newId("user"), promotionIds: [full.id] }),
    ).toEqual({ ok: true });
    const res = await claimPromotionUses(db, {
      orderId: newId("order"),
      customerId: newId("user"),
      promotionIds: [free.id, full.id],
    });
    expect(res).toEqual({ ok: false, reason: "used_up", promotionIds: [full.id] });
    expect((await getPromotion(db, free.id)).uses).toBe(0);
    expect(await ledger(free.id)).toEqual([]);
  });

  it("the per-customer limit: a second order of the same customer is refused, another customer's is not", async () => {
    const p = await promo({ perCustomerLimit: 1 });
    const customerId = newId("user");
    const first = newId("order");
    expect(await claimPromotionUses(db, { orderId: first, customerId, promotionIds: [p.id] })).toEqual({ ok: true });
    expect(await claimPromotionUses(db, { orderId: newId("order"), customerId, promotionIds: [p.id] })).toMatchObject({
      ok: false,
      reason: "per_customer_limit",
      promotionIds: [p.id],
    });
    expect(
      await claimPromotionUses(db, { orderId: newId("order"), customerId: newId("user"), promotionIds: [p.id] }),
    ).toEqual({ ok: true });
    // A retried claim of the first order is the same claim, not a second use.
    expect(await claimPromotionUses(db, { orderId: first, customerId, promotionIds: [p.id] })).toEqual({ ok: true });
    expect((await getPromotion(db, p.id)).uses).toBe(2);
    // Given back, the customer may use it again.
    await releasePromotionUses(db, first);
    expect(await claimPromotionUses(db, { orderId: newId("order"), customerId, promotionIds: [p.id] })).toEqual({
      ok: true,
    });
  });

  it("an unknown promotion id claims nothing", async () => {
    const p = await promo();
    const res = await claimPromotionUses(db, {
      orderId: newId("order"),
      customerId: newId("user"),
      promotionIds: [p.id, newId("promotion")],
    });
    expect(res).toMatchObject({ ok: false, reason: "unknown_promotion" });
    expect((await getPromotion(db, p.id)).uses).toBe(0);
  });
});

describe("releasePromotionUses", () => {
  it("gives each use back exactly once: twice, or concurrently, → still one give-back", async () => {
    const p = await promo({ usageLimit: 1 });
    const orderId = newId("order");
    await claimPromotionUses(db, { orderId, customerId: newId("user"), promotionIds: [p.id] });
    expect((await getPromotion(db, p.id)).uses).toBe(1);
    const results = await Promise.all([releasePromotionUses(db, orderId), releasePromotionUses(db, orderId)]);
    expect(results.map((r) => r.released).sort()).toEqual([0, 1]);
    expect(await releasePromotionUses(db, orderId)).toEqual({ released: 0 });
    expect((await getPromotion(db, p.id)).uses).toBe(0);
    expect(await ledger(p.id)).toEqual([{ order_id: orderId, state: "released" }]);
    // The use given back is usable by the next order, and only one.
    const next = await Promise.all(
      [1, 2, 3].map(() =>
        claimPromotionUses(db, { orderId: newId("order"), customerId: newId("user"), promotionIds: [p.id] }),
      ),
    );
    expect(next.filter((r) => r.ok)).toHaveLength(1);
  });

  it("a released order claiming again stays released (no use is taken twice for it)", async () => {
    const p = await promo();
    const orderId = newId("order");
    await claimPromotionUses(db, { orderId, customerId: newId("user"), promotionIds: [p.id] });
    await releasePromotionUses(db, orderId);
    expect(await claimPromotionUses(db, { orderId, customerId: newId("user"), promotionIds: [p.id] })).toEqual({
      ok: true,
    });
    expect((await getPromotion(db, p.id)).uses).toBe(0);
  });
});
