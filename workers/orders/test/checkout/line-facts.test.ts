import { env } from "cloudflare:test";
import type { CheckoutQuote, Order, PromotionRecord } from "@shop/contracts";
import { beforeAll, describe, expect, it } from "vitest";
import { call, createProduct, placeOrder, type Shopper, shopper } from "../helpers";

/**
 * Each line is priced with what the catalog says of it (ADR 0033): its variant's weight, its
 * product's tax class and category — at the quote and again at placement, to the same total.
 */

const DE = { name: "Ada Lovelace", line1: "Unter den Linden 1", city: "Berlin", postalCode: "10117", country: "DE" };
const JP = { name: "Ada Lovelace", line1: "1-1 Chiyoda", city: "Tokyo", postalCode: "100-0001", country: "JP" };

let admin: Shopper;

beforeAll(async () => {
  admin = await shopper("admin");
});

/** A fresh product (in a category of its own) with the catalog facts given; its id and category. */
async function product(opts: {
  price: number;
  currency: string;
  weightGrams?: number;
  taxClass?: "reduced" | "zero";
}): Promise<{ productId: string; categoryId: string }> {
  const productId = await createProduct({ price: opts.price, currency: opts.currency, stock: 20 });
  const db = env.TEST_PRODUCTS_DB;
  await db.batch([
    db.prepare("UPDATE products SET tax_class = ?2 WHERE id = ?1").bind(productId, opts.taxClass ?? "standard"),
    db
      .prepare("UPDATE product_variants SET weight_grams = ?2 WHERE product_id = ?1")
      .bind(productId, opts.weightGrams ?? null),
  ]);
  const categoryId = await db
    .prepare("SELECT category_id FROM products WHERE id = ?1")
    .bind(productId)
    .first<string>("category_id");
  return { productId, categoryId: categoryId ?? "" };
}

async function cartOf(lines: [string, number][]): Promise<Shopper> {
  const who = await shopper();
  for (const [productId, quantity] of lines) {
    const res = await call("POST", "/cart/items", { token: who.token, body: { productId, quantity } });
    expect(res.status, await res.clone().text()).toBe(200);
  }
  return who;
}

async function quote(who: Shopper, body: Record<string, unknown>): Promise<CheckoutQuote> {
  const res = await call("POST", "/checkout/quote", { token: who.token, body });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as CheckoutQuote;
}

/** Places the order as the storefront does after this quote; the order must charge the quote's total. */
async function placeAsQuoted(who: Shopper, address: typeof DE, q: CheckoutQuote, promoCode?: string): Promise<Order> {
  const res = await placeOrder(who, `key-${crypto.randomUUID()}`, {
    shippingAddress: address,
    paymentMethod: "pm_card_visa",
    shippingMethodId: q.breakdown.shipping.methodId,
    ...(promoCode ? { promoCode } : {}),
    displayedTotal: q.displayedTotal.amount,
  });
  expect(res.status, await res.clone().text()).toBe(201);
  const placed = (await res.json()) as Order;
  expect(placed.breakdown).toEqual(q.breakdown);
  return placed;
}

const costOf = (q: CheckoutQuote, methodId: string) => q.shippingOptions.find((o) => o.methodId === methodId)?.cost;

describe("the catalog's line facts reach pricing", () => {
  // International by weight (USD): ≤ 500 g $12, ≤ 2 kg $25, ≤ 10 kg $60.
  it("a weight-based method costs by the variants' real weights (none set: the default 500 g)", async () => {
    const heavy = await product({ price: 1000, currency: "USD", weightGrams: 800 });
    const light = await product({ price: 1000, currency: "USD", weightGrams: 120 });
    const unweighed = await product({ price: 1000, currency: "USD" });
    const byWeight = { address: JP, shippingMethodId: "world-weight" };

    expect(costOf(await quote(await cartOf([[light.productId, 4]]), byWeight), "world-weight")).toBe(1200); // 480 g
    expect(costOf(await quote(await cartOf([[unweighed.productId, 1]]), byWeight), "world-weight")).toBe(1200);
    expect(costOf(await quote(await cartOf([[heavy.productId, 1]]), byWeight), "world-weight")).toBe(2500); // 800 g
    const who = await cartOf([
      [heavy.productId, 3],
      [light.productId, 1],
    ]); // 2 520 g
    const q = await quote(who, byWeight);
    expect(q.breakdown.shipping).toMatchObject({ methodId: "world-weight", cost: 6000 });
    const placed = await placeAsQuoted(who, JP, q);
    expect(placed.breakdown?.shipping.cost).toBe(6000);
  });

  // DE VAT inside the price: reduced 7 %: 1070 × 7/107 = 70; standard 19 %: 1190 × 19/119 = 190.
  it("a reduced-rate product in DE is taxed at the reduced rate, the standard one at the standard", async () => {
    const book = await product({ price: 1070, currency: "EUR", taxClass: "reduced" });
    const lamp = await product({ price: 1190, currency: "EUR" });
    const who = await cartOf([
      [book.productId, 1],
      [lamp.productId, 1],
    ]);
    const q = await quote(who, { address: DE, shippingMethodId: "eu-express" });
    const line = (productId: string) => q.breakdown.lines.find((l) => l.productId === productId);
    expect(line(book.productId)).toMatchObject({ taxRateId: "DE-reduced", tax: 70, taxInclusive: true });
    expect(line(lamp.productId)).toMatchObject({ taxRateId: "DE-standard", tax: 190, taxInclusive: true });
    expect(q.breakdown.taxes.map((t) => t.rateId).sort()).toEqual(["DE-reduced", "DE-standard"]);
    await placeAsQuoted(who, DE, q);
  });

  it("a category-targeted code discounts only that category's lines", async () => {
    const book = await product({ price: 2000, currency: "EUR" });
    const lamp = await product({ price: 3000, currency: "EUR" });
    const code = `CAT${crypto.randomUUID().slice(0, 6).toUpperCase()}`;
    const res = await call("POST", "/promotions", {
      token: admin.token,
      body: {
        name: "Books 10 %",
        code,
        discount: { kind: "percentage", percent: 10 },
        target: { scope: "categories", categoryIds: [book.categoryId] },
      },
    });
    expect(res.status, await res.clone().text()).toBe(201);
    const promo = (await res.json()) as PromotionRecord;
    const who = await cartOf([
      [book.productId, 1],
      [lamp.productId, 1],
    ]);
    const q = await quote(who, { address: DE, promoCode: code });
    const line = (productId: string) => q.breakdown.lines.find((l) => l.productId === productId);
    expect(line(book.productId)).toMatchObject({ subtotal: 2000, discount: 200 });
    expect(line(lamp.productId)).toMatchObject({ subtotal: 3000, discount: 0 });
    expect(q.breakdown.discounts).toEqual([{ promotionId: promo.id, code, amount: 200 }]);
    await placeAsQuoted(who, DE, q, code);
  });
});
