import { env } from "cloudflare:test";
import {
  type AdminVariant,
  defaultVariantId,
  type Market,
  type ProductDetail,
  type ProductPage,
} from "@shop/contracts";
import { beforeAll, describe, expect, it } from "vitest";
import { createProduct } from "../fixtures";
import { adminHeaders, call, json, sendJson, uniqueWord } from "../http";

/**
 * `product_market_prices` is derived by triggers (ADR 0036). These tests hold it to its rule —
 * the default variant's price in the market, else the cheapest variant on sale priced there, no
 * row when none is — after every kind of write, worked out here from the source rows.
 */

let admin: Record<string, string>;
beforeAll(async () => {
  admin = await adminHeaders();
});

async function market(): Promise<Market> {
  const code = `d${crypto
    .randomUUID()
    .replace(/[^a-z]/g, "")
    .slice(0, 6)}`;
  const res = await sendJson("POST", "/markets", { code, name: "Derived", currency: "EUR", countries: [] }, admin);
  expect(res.status).toBe(201);
  return json<Market>(res);
}

/** The rule, from the source rows: per market, the default variant's price, else the cheapest. */
async function expected(productId: string): Promise<Record<string, number>> {
  const { results } = await env.DB.prepare(
    `SELECT v.id, vp.market, vp.amount FROM variant_prices vp JOIN product_variants v ON v.id = vp.variant_id
     WHERE v.product_id = ?1 AND v.status = 'active'`,
  )
    .bind(productId)
    .all<{ id: string; market: string; amount: number }>();
  const byMarket: Record<string, { id: string; amount: number }[]> = {};
  for (const r of results) {
    byMarket[r.market] = [...(byMarket[r.market] ?? []), r];
  }
  const out: Record<string, number> = {};
  for (const [m, rows] of Object.entries(byMarket)) {
    const own = rows.find((r) => r.id === defaultVariantId(productId));
    out[m] = own ? own.amount : Math.min(...rows.map((r) => r.amount));
  }
  return out;
}

async function derived(productId: string): Promise<Record<string, number>> {
  const { results } = await env.DB.prepare("SELECT market, amount FROM product_market_prices WHERE product_id = ?1")
    .bind(productId)
    .all<{ market: string; amount: number }>();
  return Object.fromEntries(results.map((r) => [r.market, r.amount]));
}

/** A small deterministic generator, so a failure replays. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe("a product's price per market, derived", () => {
  it("follows every price write, variant archive and restore, over a random sequence", async () => {
    const [m1, m2] = [await market(), await market()];
    const p = await createProduct({ priceAmount: 3000 });
    const put = await sendJson(
      "PUT",
      `/products/${p.id}/options`,
      { options: [{ name: "size", values: ["S", "M", "L"] }] },
      admin,
    );
    expect(put.status).toBe(200);
    const variants: string[] = [defaultVariantId(p.id)];
    for (const size of ["M", "L"]) {
      const res = await sendJson(
        "POST",
        `/products/${p.id}/variants`,
        { sku: `${p.sku}-${size}`, options: { size }, initialStock: 3 },
        admin,
      );
      expect(res.status).toBe(201);
      variants.push((await json<AdminVariant>(res)).id);
    }
    const random = rng(20261130);
    const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)] as T;
    const seen = new Set<string>();
    for (let step = 0; step < 40; step++) {
      const variantId = pick(variants);
      const what = random();
      if (what < 0.6) {
        const amount = random() < 0.2 ? null : 100 + Math.floor(random() * 50) * 10;
        const res = await sendJson(
          "PUT",
          `/products/${p.id}/prices`,
          { prices: [{ variantId, market: pick([m1.code, m2.code]), amount }] },
          admin,
        );
        expect(res.status, await res.clone().text()).toBe(200);
        seen.add(amount === null ? "cleared" : "priced");
      } else if (variantId !== defaultVariantId(p.id)) {
        const status = random() < 0.5 ? "archived" : "active";
        const res = await sendJson("PATCH", `/products/${p.id}/variants/${variantId}`, { status }, admin);
        expect(res.status, await res.clone().text()).toBe(200);
        seen.add(status);
      }
      expect(await derived(p.id), `after step ${step}`).toEqual(await expected(p.id));
    }
    // The sequence really exercised each kind of write.
    expect([...seen].sort()).toEqual(["active", "archived", "cleared", "priced"]);
  });

  it("is what the listing and the product page show, and a product leaves a market with its last price", async () => {
    const m = await market();
    const word = uniqueWord();
    const p = await createProduct({ priceAmount: 3000, name: `Priced ${word}` });
    const v = defaultVariantId(p.id);
    const listed = async () => {
      const page = await json<ProductPage>(await call(`/products?market=${m.code}&limit=100&q=${word}`));
      return page.items.find((i) => i.id === p.id)?.price.amount;
    };
    expect(await listed()).toBeUndefined();
    await sendJson(
      "PUT",
      `/products/${p.id}/prices`,
      { prices: [{ variantId: v, market: m.code, amount: 2750 }] },
      admin,
    );
    expect(await derived(p.id)).toEqual({ [m.code]: 2750 });
    expect(await listed()).toBe(2750);
    const page = await json<ProductDetail>(await call(`/products/${p.id}?market=${m.code}`));
    expect(page.price).toEqual({ amount: 2750, currency: "EUR" });
    await sendJson(
      "PUT",
      `/products/${p.id}/prices`,
      { prices: [{ variantId: v, market: m.code, amount: null }] },
      admin,
    );
    expect(await derived(p.id)).toEqual({});
    expect(await listed()).toBeUndefined();
  });
});

describe("stock in a market", () => {
  it("counts only the variants sold there: units of an unpriced variant do not make a product available", async () => {
    const m = await market();
    const word = uniqueWord();
    const p = await createProduct({ stock: 0, priceAmount: 2000, name: `Stocked ${word}` });
    expect(
      (await sendJson("PUT", `/products/${p.id}/options`, { options: [{ name: "size", values: ["S", "M"] }] }, admin))
        .status,
    ).toBe(200);
    const res = await sendJson(
      "POST",
      `/products/${p.id}/variants`,
      { sku: `${p.sku}-M`, options: { size: "M" }, initialStock: 5 },
      admin,
    );
    const m2 = await json<AdminVariant>(res);
    // Only the default variant (no stock) is sold in the market; M (5 units) is not priced there.
    await sendJson(
      "PUT",
      `/products/${p.id}/prices`,
      { prices: [{ variantId: defaultVariantId(p.id), market: m.code, amount: 1800 }] },
      admin,
    );
    const inMarket = await json<ProductDetail>(await call(`/products/${p.id}?market=${m.code}`));
    expect(inMarket).toMatchObject({ available: false, availableQuantity: 0 });
    expect(inMarket.variants.map((v) => v.id)).toEqual([defaultVariantId(p.id)]);
    const everywhere = await json<ProductDetail>(await call(`/products/${p.id}`));
    expect(everywhere).toMatchObject({ available: true, availableQuantity: 5 });

    const list = async (q: string) =>
      (await json<ProductPage>(await call(`/products?limit=100&q=${word}${q}`))).items.map((i) => i.id);
    expect(await list(`&market=${m.code}&inStock=true`)).not.toContain(p.id);
    expect(await list(`&market=${m.code}&inStock=false`)).toContain(p.id);
    expect(await list(`&market=${m.code}&option=size:M`)).not.toContain(p.id);
    expect(await list("&inStock=true")).toContain(p.id);

    // Priced there, M is sold in the market and its units count.
    await sendJson(
      "PUT",
      `/products/${p.id}/prices`,
      { prices: [{ variantId: m2.id, market: m.code, amount: 1900 }] },
      admin,
    );
    expect(await json<ProductDetail>(await call(`/products/${p.id}?market=${m.code}`))).toMatchObject({
      available: true,
      availableQuantity: 5,
    });
    expect(await list(`&market=${m.code}&inStock=true&option=size:M`)).toContain(p.id);
  });
});
