import { env } from "cloudflare:test";
import type { CheckoutQuote, Order, PriceBreakdown, PromotionRecord } from "@shop/contracts";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { database } from "../../src/db/client";
import { getPromotion } from "../../src/services/promotions/promotion-store";
import {
  call,
  createProduct,
  getOrder,
  notificationsFor,
  paymentRow,
  placeOrder,
  problem,
  type Shopper,
  shopper,
  stockOf,
  untilNotified,
  untilStatus,
} from "../helpers";

/**
 * Placement charges exactly the server's breakdown (ADR 0035): the order is priced again when
 * stock is held, with the quote's own pricing, and claims its promotion uses before any payment.
 */

const DE = { name: "Ada Lovelace", line1: "Unter den Linden 1", city: "Berlin", postalCode: "10117", country: "DE" };

let admin: Shopper;

async function promotion(body: Record<string, unknown>): Promise<PromotionRecord> {
  const res = await call("POST", "/promotions", {
    token: admin.token,
    body: { name: "Test", discount: { kind: "percentage", percent: 10 }, target: { scope: "order" }, ...body },
  });
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()) as PromotionRecord;
}

const freshCode = (prefix: string) => `${prefix}${crypto.randomUUID().slice(0, 6).toUpperCase()}`;
const uses = async (id: string) => (await getPromotion(database(env.DB), id)).uses;

async function cartWith(who: Shopper, productId: string, quantity: number): Promise<void> {
  const res = await call("POST", "/cart/items", { token: who.token, body: { productId, quantity } });
  expect(res.status, await res.clone().text()).toBe(200);
}

async function quote(who: Shopper, body: Record<string, unknown>): Promise<CheckoutQuote> {
  const res = await call("POST", "/checkout/quote", { token: who.token, body: { address: DE, ...body } });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as CheckoutQuote;
}

/** The body the storefront sends: what the shopper chose on the quote, and the total shown. */
const placement = (q: CheckoutQuote, promoCode?: string, paymentMethod = "pm_card_visa") => ({
  shippingAddress: DE,
  paymentMethod,
  shippingMethodId: q.breakdown.shipping.methodId,
  ...(promoCode ? { promoCode } : {}),
  displayedTotal: q.displayedTotal.amount,
});

/** Sets a product's price as the catalog keeps it (the product and its default variant). */
async function setPrice(productId: string, amount: number): Promise<void> {
  const db = env.TEST_PRODUCTS_DB;
  await db.batch([
    db.prepare("UPDATE products SET price_amount = ?2 WHERE id = ?1").bind(productId, amount),
    db.prepare("UPDATE product_variants SET price_amount = ?2 WHERE product_id = ?1").bind(productId, amount),
  ]);
}

beforeAll(async () => {
  admin = await shopper("admin");
});

describe("POST /orders charges the quote's breakdown", () => {
  // €50 − 10 % = €45 < €60: standard shipping €4.90; VAT 19 % inside: 718 + 78 = 796. Total €49.90.
  it("a 10 % code, shipping and DE VAT: order total = quote total = payment amount", async () => {
    const code = freshCode("TEN");
    const promo = await promotion({ code });
    const me = await shopper();
    const productId = await createProduct({ price: 5000, currency: "EUR", stock: 5 });
    await cartWith(me, productId, 1);
    const q = await quote(me, { promoCode: code });
    expect(q.displayedTotal).toEqual({ amount: 4990, currency: "EUR" });

    const res = await placeOrder(me, `key-${crypto.randomUUID()}`, placement(q, code));
    expect(res.status, await res.clone().text()).toBe(201);
    const placed = (await res.json()) as Order;
    expect(placed.total).toEqual({ amount: 4990, currency: "EUR" });
    expect(placed.breakdown).toEqual(q.breakdown);
    expect(placed.breakdown).toMatchObject({
      subtotal: 5000,
      discountTotal: 500,
      discounts: [{ promotionId: promo.id, code, amount: 500 }],
      shipping: { methodId: "eu-standard", cost: 490, taxInclusive: true },
      taxTotal: 796,
      total: 4990,
    });
    expect((await paymentRow(placed.id))?.amount).toBe(4990);
    expect(await uses(promo.id)).toBe(1);

    const paid = await untilStatus(me, placed.id, "paid");
    expect(paid.breakdown?.total).toBe(4990);
    // The history (D1 projection) carries the breakdown too.
    await vi.waitFor(
      async () => {
        const page = (await (await call("GET", "/orders", { token: me.token })).json()) as {
          items: { id: string; status: string; breakdown?: PriceBreakdown | null }[];
        };
        expect(page.items).toEqual([expect.objectContaining({ id: placed.id, status: "paid" })]);
        expect(page.items[0]?.breakdown?.total).toBe(4990);
      },
      { timeout: 10_000, interval: 100 },
    );
    // The receipt prints the same figures.
    const confirmed = (await untilNotified(me.userId, "order.confirmed")).find((m) => m.type === "order.confirmed");
    expect(confirmed?.data).toMatchObject({
      total: { amount: 4990, currency: "EUR" },
      breakdown: {
        subtotal: 5000,
        discount: 500,
        codes: [code],
        shipping: { name: expect.any(String), amount: 490 },
        tax: { amount: 796, inclusive: true },
        total: 4990,
      },
    });
  });

  it("a price changed since the quote: 409 with the new breakdown, nothing held or charged, replays the same", async () => {
    const me = await shopper();
    const productId = await createProduct({ price: 5000, currency: "EUR", stock: 5 });
    await cartWith(me, productId, 1);
    const q = await quote(me, {});
    await setPrice(productId, 5500);

    const key = `key-${crypto.randomUUID()}`;
    const res = await placeOrder(me, key, placement(q));
    expect(res.status, await res.clone().text()).toBe(409);
    const body = (await problem(res)) as Awaited<ReturnType<typeof problem>> & { breakdown: PriceBreakdown };
    expect(body.code).toBe("price_changed");
    expect(body.breakdown).toMatchObject({ subtotal: 5500, currency: "EUR" });
    expect(body.breakdown.total).not.toBe(q.displayedTotal.amount);
    await vi.waitFor(async () => expect(await stockOf(productId)).toEqual({ onHand: 5, reserved: 0 }), {
      timeout: 10_000,
      interval: 100,
    });
    const orderId = res.headers.get("location");
    expect(orderId).toBeNull();

    const again = await placeOrder(me, key, placement(q));
    expect(again.status).toBe(409);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(((await again.json()) as { breakdown: PriceBreakdown }).breakdown).toEqual(body.breakdown);

    // With the new total the shopper saw, the order goes through at that total.
    const ok = await placeOrder(me, `key-${crypto.randomUUID()}`, {
      ...placement(q),
      displayedTotal: body.breakdown.total,
    });
    expect(ok.status, await ok.clone().text()).toBe(201);
    const placed = (await ok.json()) as Order;
    expect(placed.total?.amount).toBe(body.breakdown.total);
    expect((await paymentRow(placed.id))?.amount).toBe(body.breakdown.total);
  });

  it("no charge for a refused placement: nothing reaches payments", async () => {
    const me = await shopper();
    const productId = await createProduct({ price: 5000, currency: "EUR", stock: 5 });
    await cartWith(me, productId, 1);
    const q = await quote(me, {});
    const res = await placeOrder(me, `key-${crypto.randomUUID()}`, { ...placement(q), displayedTotal: 1 });
    expect(res.status).toBe(409);
    const { results } = await env.TEST_PAYMENTS_DB.prepare("SELECT id FROM payments WHERE user_id = ?1")
      .bind(me.userId)
      .all();
    expect(results).toEqual([]);
  });

  it("the quote's refusals: outside every zone, an unknown method, an unknown code", async () => {
    const me = await shopper();
    const productId = await createProduct({ price: 5000, currency: "EUR", stock: 5 });
    await cartWith(me, productId, 1);
    const q = await quote(me, {});
    const place = (body: Record<string, unknown>) =>
      placeOrder(me, `key-${crypto.randomUUID()}`, { ...placement(q), ...body });

    const nowhere = await place({ shippingAddress: { ...DE, country: "AQ" } });
    expect(nowhere.status).toBe(422);
    expect((await problem(nowhere)).errors?.map((e) => e.path)).toContain("shippingAddress.country");
    const method = await place({ shippingMethodId: "no-such-method" });
    expect(method.status).toBe(422);
    expect((await problem(method)).errors?.map((e) => e.path)).toContain("shippingMethodId");
    const code = await place({ promoCode: "NOSUCHCODE" });
    expect(code.status).toBe(422);
    expect((await problem(code)).errors?.map((e) => e.path)).toContain("promoCode");
    await vi.waitFor(async () => expect(await stockOf(productId)).toEqual({ onHand: 5, reserved: 0 }), {
      timeout: 10_000,
      interval: 100,
    });
  });

  it("an old client (no method, code or total) still places at the sum of its lines", async () => {
    const me = await shopper();
    const productId = await createProduct({ price: 1250, stock: 5 });
    await cartWith(me, productId, 2);
    const res = await placeOrder(me, `key-${crypto.randomUUID()}`, {
      shippingAddress: DE,
      paymentMethod: "pm_card_visa",
    });
    expect(res.status).toBe(201);
    const placed = (await res.json()) as Order;
    expect(placed.total).toEqual({ amount: 2500, currency: "USD" });
    expect(placed.breakdown).toBeNull();
  });
});

describe("promotion uses are claimed at placement", () => {
  it("a code limited to N, N + k concurrent placements: exactly N orders carry it", async () => {
    const N = 3;
    const k = 3;
    const code = freshCode("LIM");
    const promo = await promotion({ code, usageLimit: N });
    const buyers = await Promise.all(
      Array.from({ length: N + k }, async () => {
        const who = await shopper();
        const productId = await createProduct({ price: 5000, currency: "EUR", stock: 2 });
        await cartWith(who, productId, 1);
        return { who, productId, q: await quote(who, { promoCode: code }) };
      }),
    );
    const answers = await Promise.all(
      buyers.map(({ who, q }) => placeOrder(who, `key-${crypto.randomUUID()}`, placement(q, code))),
    );
    const statuses = answers.map((r) => r.status).sort();
    expect(statuses).toEqual([...Array(N).fill(201), ...Array(k).fill(409)]);
    for (const [i, res] of answers.entries()) {
      if (res.status === 201) {
        const order = (await res.json()) as Order;
        expect(order.breakdown?.discounts.map((d) => d.code)).toEqual([code]);
        expect((await paymentRow(order.id))?.amount).toBe(4990);
      } else {
        const p = await problem(res);
        expect(p.code).toBe("conflict");
        expect(p.errors?.map((e) => e.path)).toEqual(["promoCode"]);
        const productId = buyers[i]?.productId ?? "";
        await vi.waitFor(async () => expect(await stockOf(productId)).toEqual({ onHand: 2, reserved: 0 }), {
          timeout: 10_000,
          interval: 100,
        });
      }
    }
    expect(await uses(promo.id)).toBe(N);
  });

  it("a declined payment gives the use back exactly once", async () => {
    const code = freshCode("DEC");
    const promo = await promotion({ code });
    const me = await shopper();
    const productId = await createProduct({ price: 5000, currency: "EUR", stock: 5 });
    await cartWith(me, productId, 1);
    const q = await quote(me, { promoCode: code });
    const res = await placeOrder(me, `key-${crypto.randomUUID()}`, placement(q, code, "pm_card_chargeDeclined"));
    expect([201, 202]).toContain(res.status);
    const { id } = (await res.json()) as Order;
    await untilStatus(me, id, "payment_failed");
    await vi.waitFor(async () => expect(await uses(promo.id)).toBe(0), { timeout: 10_000, interval: 100 });
    await vi.waitFor(
      async () => {
        const order = await getOrder(me, id);
        expect(order.timeline.filter((e) => e.type === "promotions.released")).toHaveLength(1);
      },
      { timeout: 10_000, interval: 100 },
    );
    expect(await uses(promo.id)).toBe(0);
  });

  it("cancelling a paid order gives its use back once (cancelling twice: still once)", async () => {
    const code = freshCode("CAN");
    const promo = await promotion({ code });
    const orders: { me: Shopper; id: string }[] = [];
    for (let i = 0; i < 2; i++) {
      const me = await shopper();
      const productId = await createProduct({ price: 5000, currency: "EUR", stock: 5 });
      await cartWith(me, productId, 1);
      const q = await quote(me, { promoCode: code });
      const res = await placeOrder(me, `key-${crypto.randomUUID()}`, placement(q, code));
      expect(res.status).toBe(201);
      const { id } = (await res.json()) as Order;
      await untilStatus(me, id, "paid");
      orders.push({ me, id });
    }
    expect(await uses(promo.id)).toBe(2);
    const [first] = orders;
    if (!first) throw new Error("no order");
    const cancel = () => call("POST", `/orders/${first.id}/cancel`, { token: first.me.token, body: {} });
    expect((await cancel()).status).toBe(200);
    await untilStatus(first.me, first.id, "refunded");
    await vi.waitFor(async () => expect(await uses(promo.id)).toBe(1), { timeout: 10_000, interval: 100 });
    expect((await cancel()).status).toBe(409);
    await new Promise((r) => setTimeout(r, 300));
    expect(await uses(promo.id)).toBe(1);
    const order = await getOrder(first.me, first.id);
    expect(order.timeline.filter((e) => e.type === "promotions.released")).toHaveLength(1);
    expect((await notificationsFor(first.me.userId)).some((m) => m.type === "order.refunded")).toBe(true);
  });
});
