import { env } from "cloudflare:test";
import type { CheckoutQuote, PromotionRecord } from "@shop/contracts";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { PRICING_DATA_MEMO_MS } from "../../src/services/checkout/pricing-memo";
import { call, createProduct, type Shopper, shopper } from "../helpers";

/**
 * Checkout pricing reads shipping and the automatic promotions through a memo (ADR 0037): these
 * tests change the rows behind the worker's back (straight in D1, as another isolate's write
 * would look from here) and through the admin API (this isolate's own write).
 */

let admin: Shopper;
beforeAll(async () => {
  admin = await shopper("admin");
});
afterEach(() => {
  vi.useRealTimers();
});

async function cartOf(price: number, quantity = 1): Promise<{ who: Shopper; productId: string }> {
  const who = await shopper();
  const productId = await createProduct({ price, currency: "USD", stock: 20 });
  expect((await call("POST", "/cart/items", { token: who.token, body: { productId, quantity } })).status).toBe(200);
  return { who, productId };
}

async function quote(who: Shopper, country: string): Promise<CheckoutQuote> {
  const address = country === "US" ? { country, region: "NY" } : { country };
  const res = await call("POST", "/checkout/quote", { token: who.token, body: { address } });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as CheckoutQuote;
}

const put = async (path: string, body: unknown) => {
  const res = await call("PUT", path, { token: admin.token, body });
  expect(res.status, await res.clone().text()).toBe(200);
};

describe("checkout pricing data from the isolate's memo", () => {
  it("a rate changed elsewhere is used once the bound has passed; an admin's change here, at once", async () => {
    const flat = (usd: number) => ({ zoneId: "world", name: "Courier", rate: { kind: "flat", cost: { USD: usd } } });
    await put("/shipping/methods/fresh-courier", flat(700));
    const { who } = await cartOf(2000);
    const courier = async () =>
      (await quote(who, "CA")).shippingOptions.find((o) => o.methodId === "fresh-courier")?.cost;
    expect(await courier()).toBe(700);

    // Another isolate's write, as this one sees it: the memo answers until the bound.
    vi.useFakeTimers({ toFake: ["Date"] });
    const start = Date.now();
    await env.DB.prepare("UPDATE shipping_methods SET rate = ?1 WHERE id = 'fresh-courier'")
      .bind(JSON.stringify({ kind: "flat", cost: { USD: 900 } }))
      .run();
    expect(await courier()).toBe(700);
    vi.setSystemTime(start + PRICING_DATA_MEMO_MS);
    expect(await courier()).toBe(900);

    // This isolate's own write is seen by its next checkout.
    await put("/shipping/methods/fresh-courier", flat(1100));
    expect(await courier()).toBe(1100);
  });

  it("an automatic promotion's uses are read fresh: one used up elsewhere stops applying at once", async () => {
    const { who, productId } = await cartOf(3000);
    const res = await call("POST", "/promotions", {
      token: admin.token,
      body: {
        name: "One left",
        discount: { kind: "percentage", percent: 10 },
        target: { scope: "products", productIds: [productId] },
        usageLimit: 1,
      },
    });
    expect(res.status).toBe(201);
    const promotion = (await res.json()) as PromotionRecord;
    const applied = await quote(who, "US");
    expect(applied.breakdown.discounts.map((d) => d.promotionId)).toEqual([promotion.id]);

    // The last use is claimed by another isolate's checkout: no memo may hide it.
    await env.DB.prepare(
      "INSERT INTO promotion_redemptions VALUES (?1, 'ord_fresh1', 'usr_fresh', 'claimed', 'now', NULL)",
    )
      .bind(promotion.id)
      .run();
    const after = await quote(who, "US");
    expect(after.breakdown.discounts).toEqual([]);
    expect(after.breakdown.refusedPromotions).toContainEqual(
      expect.objectContaining({ promotionId: promotion.id, reason: "used_up" }),
    );
  });

  it("an entered code is read fresh: one disabled elsewhere is refused at once", async () => {
    const code = `FRESH${crypto.randomUUID().slice(0, 6).toUpperCase()}`;
    const res = await call("POST", "/promotions", {
      token: admin.token,
      body: { code, name: "Code", discount: { kind: "percentage", percent: 5 }, target: { scope: "order" } },
    });
    expect(res.status).toBe(201);
    const { who } = await cartOf(2000);
    const ok = await call("POST", "/checkout/quote", {
      token: who.token,
      body: { address: { country: "US", region: "NY" }, promoCode: code },
    });
    expect(ok.status, await ok.clone().text()).toBe(200);
    await env.DB.prepare("UPDATE promotions SET active = 0 WHERE code = ?1").bind(code).run();
    const refused = await call("POST", "/checkout/quote", {
      token: who.token,
      body: { address: { country: "US", region: "NY" }, promoCode: code },
    });
    expect(refused.status).toBe(422);
  });
});
