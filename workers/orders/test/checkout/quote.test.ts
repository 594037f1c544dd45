import { env } from "cloudflare:test";
import type { CheckoutQuote, PromotionRecord } from "@shop/contracts";
import { newId } from "@shop/runtime";
import { beforeAll, describe, expect, it } from "vitest";
import { database } from "../../src/db/client";
import { claimPromotionUses } from "../../src/services/promotions/redemptions";
import { call, createProduct, problem, type Shopper, shopper } from "../helpers";

let admin: Shopper;
let TEN: string;

async function code(body: Record<string, unknown>): Promise<PromotionRecord> {
  const res = await call("POST", "/promotions", {
    token: admin.token,
    body: { name: "Test", discount: { kind: "percentage", percent: 10 }, target: { scope: "order" }, ...body },
  });
  expect(res.status).toBe(201);
  return (await res.json()) as PromotionRecord;
}

beforeAll(async () => {
  admin = await shopper("admin");
  TEN = `TEN${crypto.randomUUID().slice(0, 6).toUpperCase()}`;
  await code({ code: TEN });
});

/** A signed-in shopper with `quantity` of a fresh product at `price` in `currency`. */
async function cartOf(price: number, currency: string, quantity: number): Promise<Shopper> {
  const who = await shopper();
  const productId = await createProduct({ price, currency, stock: 20 });
  expect((await call("POST", "/cart/items", { token: who.token, body: { productId, quantity } })).status).toBe(200);
  return who;
}

const quote = (who: Shopper | { cartToken: string } | null, body: unknown) =>
  call("POST", "/checkout/quote", {
    ...(who && "token" in who ? { token: who.token } : {}),
    ...(who && "cartToken" in who ? { cartToken: who.cartToken } : {}),
    body,
  });

async function ok(res: Response): Promise<CheckoutQuote> {
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as CheckoutQuote;
}

describe("POST /checkout/quote: the breakdown", () => {
  // Worked by hand: €50 − 10 % = €45 (< €60: standard costs €4.90); VAT 19 % is inside:
  // line 4500 × 19/119 = 718.49 → 718, shipping 490 × 19/119 = 78.24 → 78.
  it("DE, VAT included: a 10 % code, standard shipping under the threshold", async () => {
    const who = await cartOf(5000, "EUR", 1);
    const q = await ok(await quote(who, { address: { country: "DE" }, promoCode: TEN.toLowerCase() }));
    const b = q.breakdown;
    expect(b).toMatchObject({
      currency: "EUR",
      subtotal: 5000,
      discountTotal: 500,
      shipping: { methodId: "eu-standard", cost: 490, tax: 78, taxInclusive: true },
      taxTotal: 796,
      taxAdded: 0,
      total: 4990,
    });
    expect(b.discounts).toEqual([expect.objectContaining({ code: TEN, amount: 500 })]);
    expect(b.lines).toEqual([expect.objectContaining({ subtotal: 5000, discount: 500, tax: 718, taxInclusive: true })]);
    expect(q.shippingOptions).toEqual([
      {
        methodId: "eu-standard",
        name: "Standard (free over €60 or $70)",
        cost: 490,
        unavailable: null,
        selected: true,
      },
      { methodId: "eu-express", name: "Express", cost: 1490, unavailable: null, selected: false },
    ]);
    expect(q.displayedTotal).toEqual({ amount: 4990, currency: "EUR" });
    expect(q.pricingToken).toMatch(/^pq1_[0-9a-f]{64}$/);
    // The same question, the same token; another method, another token.
    const again = await ok(await quote(who, { address: { country: "DE" }, promoCode: TEN }));
    expect(again.pricingToken).toBe(q.pricingToken);
    const express = await ok(
      await quote(who, { address: { country: "DE" }, promoCode: TEN, shippingMethodId: "eu-express" }),
    );
    expect(express.breakdown.total).toBe(4500 + 1490);
    expect(express.pricingToken).not.toBe(q.pricingToken);
  });

  // €100 − 10 % = €90 ≥ €60: shipping free; VAT 9000 × 19/119 = 1436.97 → 1437.
  it("DE: over the free-shipping threshold after the discount, shipping is free", async () => {
    const who = await cartOf(5000, "EUR", 2);
    const b = (await ok(await quote(who, { address: { country: "DE" }, promoCode: TEN }))).breakdown;
    expect(b).toMatchObject({ subtotal: 10000, discountTotal: 1000, shipping: { cost: 0, tax: 0 }, taxTotal: 1437 });
    expect(b.total).toBe(9000);
  });

  // $60 − 10 % = $54 ≥ $50: free shipping; NY 4 % added: 5400 × 0.04 = 216.
  it("US (NY), tax added on top: a 10 % code and free shipping over $50", async () => {
    const who = await cartOf(3000, "USD", 2);
    const b = (await ok(await quote(who, { address: { country: "US", region: "NY" }, promoCode: TEN }))).breakdown;
    expect(b).toMatchObject({
      subtotal: 6000,
      discountTotal: 600,
      shipping: { methodId: "us-standard", cost: 0 },
      taxTotal: 216,
      taxAdded: 216,
      total: 5616,
    });
    expect(b.lines[0]).toMatchObject({ tax: 216, taxInclusive: false, total: 5616 });
  });

  // $30 − 10 % = $27 < $50: $5.99 shipping, taxed in NY: 108 + 23.96 → 24.
  it("US (NY) under the threshold: shipping charged and taxed", async () => {
    const who = await cartOf(3000, "USD", 1);
    const b = (await ok(await quote(who, { address: { country: "US", region: "NY" }, promoCode: TEN }))).breakdown;
    expect(b).toMatchObject({ shipping: { cost: 599, tax: 24 }, taxTotal: 132, taxAdded: 132, total: 3431 });
  });

  // The seeded catalog sells in USD: EU standard is $5.90 under $70; VAT inside: 3000 × 19/119 → 479, 590 × 19/119 → 94.
  it("a USD cart to DE is shipped at the method's USD price", async () => {
    const who = await cartOf(3000, "USD", 1);
    const b = (await ok(await quote(who, { address: { country: "DE" } }))).breakdown;
    expect(b).toMatchObject({ shipping: { methodId: "eu-standard", cost: 590, tax: 94 }, taxTotal: 573, total: 3590 });
  });

  it("a guest's cart by its token prices the same way", async () => {
    const productId = await createProduct({ price: 5000, currency: "EUR" });
    const added = await call("POST", "/cart/items", { body: { productId, quantity: 1 } });
    const cartToken = added.headers.get("x-cart-id") as string;
    const q = await ok(await quote({ cartToken }, { address: { country: "DE" }, promoCode: TEN }));
    expect(q.breakdown.total).toBe(4990);
  });

  it("a code that does not fit the cart is listed as refused, not an error", async () => {
    const big = await code({ code: `MIN${crypto.randomUUID().slice(0, 6)}`, minSubtotal: { EUR: 100000 } });
    const who = await cartOf(5000, "EUR", 1);
    const b = (await ok(await quote(who, { address: { country: "DE" }, promoCode: big.code as string }))).breakdown;
    expect(b.discountTotal).toBe(0);
    expect(b.refusedPromotions).toEqual([{ promotionId: big.id, code: big.code, reason: "min_subtotal" }]);
  });
});

describe("POST /checkout/quote: refusals", () => {
  it("an address outside every zone → 422 naming address.country", async () => {
    const who = await cartOf(5000, "EUR", 1);
    const res = await quote(who, { address: { country: "BR" } });
    expect(res.status).toBe(422);
    const p = await problem(res);
    expect(p.errors?.map((e) => e.path)).toEqual(["address.country"]);
    expect(p.detail).toContain("BR");
  });

  it("a method of another zone → 422 naming shippingMethodId", async () => {
    const who = await cartOf(5000, "EUR", 1);
    const res = await quote(who, { address: { country: "DE" }, shippingMethodId: "us-express" });
    expect(res.status).toBe(422);
    expect((await problem(res)).errors?.map((e) => e.path)).toEqual(["shippingMethodId"]);
  });

  it("unknown, expired, disabled codes → 422; a used-up one → 409; each names promoCode and the code", async () => {
    const who = await cartOf(5000, "EUR", 1);
    const expired = await code({
      code: `OLD${crypto.randomUUID().slice(0, 6)}`,
      startsAt: "2020-01-01T00:00:00Z",
      endsAt: "2021-01-01T00:00:00Z",
    });
    const disabled = await code({ code: `OFF${crypto.randomUUID().slice(0, 6)}`, active: false });
    const spent = await code({ code: `ONE${crypto.randomUUID().slice(0, 6)}`, usageLimit: 1 });
    const db = database(env.DB);
    expect(
      await claimPromotionUses(db, { orderId: newId("order"), customerId: newId("user"), promotionIds: [spent.id] }),
    ).toEqual({ ok: true });
    const mine = await code({ code: `MINE${crypto.randomUUID().slice(0, 6)}`, perCustomerLimit: 1 });
    await claimPromotionUses(db, { orderId: newId("order"), customerId: who.userId, promotionIds: [mine.id] });

    for (const [c, status] of [
      ["NOSUCHCODE", 422],
      [expired.code, 422],
      [disabled.code, 422],
      [spent.code, 409],
      [mine.code, 409],
    ] as const) {
      const res = await quote(who, { address: { country: "DE" }, promoCode: c });
      expect(res.status, String(c)).toBe(status);
      const p = await problem(res);
      expect(p.errors?.map((e) => e.path)).toEqual(["promoCode"]);
      expect(p.detail).toContain(c);
    }
    // Another customer may still use the per-customer code.
    const other = await cartOf(5000, "EUR", 1);
    expect(
      (await ok(await quote(other, { address: { country: "DE" }, promoCode: mine.code as string }))).breakdown
        .discountTotal,
    ).toBe(500);
  });

  it("an empty cart → 422 naming cart; a malformed code → 400", async () => {
    const who = await shopper();
    const empty = await quote(who, { address: { country: "DE" } });
    expect(empty.status).toBe(422);
    expect((await problem(empty)).errors?.map((e) => e.path)).toEqual(["cart"]);
    const bad = await quote(who, { address: { country: "DE" }, promoCode: "no spaces!" });
    expect(bad.status).toBe(400);
    expect((await problem(bad)).errors?.map((e) => e.path)).toContain("promoCode");
  });
});
