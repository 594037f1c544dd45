import { exports } from "cloudflare:workers";
import {
  type Currency,
  defaultVariantId,
  type Market,
  type MarketList,
  type MarketPriceList,
  type ProductDetail,
  type ProductPage,
} from "@shop/contracts";
import { beforeAll, describe, expect, it } from "vitest";
import { createProduct } from "../fixtures";
import { adminHeaders, call, customerHeaders, json, sendJson, uniqueWord } from "../http";

const rpc = exports.ProductsRpc;
let admin: Record<string, string>;

beforeAll(async () => {
  admin = await adminHeaders();
});

/** A market no other test knows, serving no country (countries are tested on their own). */
async function market(currency: Currency, countries: string[] = []): Promise<Market> {
  const code = `t${crypto
    .randomUUID()
    .replace(/[^a-z]/g, "")
    .slice(0, 6)}`;
  const res = await sendJson("POST", "/markets", { code, name: `Test ${currency}`, currency, countries }, admin);
  expect(res.status).toBe(201);
  return json<Market>(res);
}

async function setPrices(productId: string, prices: { variantId?: string; market: string; amount: number | null }[]) {
  const res = await sendJson("PUT", `/products/${productId}/prices`, { prices }, admin);
  expect(res.status, await res.clone().text()).toBe(200);
  return json<MarketPriceList>(res);
}

async function detail(productId: string, market?: string): Promise<Response> {
  return call(`/products/${productId}${market ? `?market=${market}` : ""}`);
}

describe("markets", () => {
  it("lists the default market, US in USD, first", async () => {
    const res = await call("/markets");
    expect(res.status).toBe(200);
    const { items } = await json<MarketList>(res);
    expect(items[0]).toMatchObject({ code: "us", currency: "USD", default: true, countries: ["US"] });
    expect(items.filter((m) => m.default)).toHaveLength(1);
  });

  it("is created and changed by admins only; a code or a country belongs to one market", async () => {
    const body = { code: "zz", name: "Nowhere", currency: "CHF", countries: ["XA"] };
    expect((await sendJson("POST", "/markets", body, await customerHeaders())).status).toBe(403);
    expect((await sendJson("POST", "/markets", body)).status).toBe(401);
    expect((await sendJson("POST", "/markets", body, admin)).status).toBe(201);
    expect((await sendJson("POST", "/markets", body, admin)).status).toBe(409);
    const clash = await sendJson("POST", "/markets", { ...body, code: "zy", countries: ["XA"] }, admin);
    expect(clash.status).toBe(409);
    expect(clash.headers.get("content-type")).toContain("application/problem+json");
    const bad = await sendJson("POST", "/markets", { ...body, code: "Not A Code" }, admin);
    expect(bad.status).toBe(400);

    const renamed = await sendJson("PATCH", "/markets/zz", { name: "Somewhere", countries: ["XA", "XB"] }, admin);
    expect(renamed.status).toBe(200);
    expect(await json<Market>(renamed)).toMatchObject({ name: "Somewhere", currency: "CHF", countries: ["XA", "XB"] });
    expect((await sendJson("PATCH", "/markets/zz", { currency: "EUR" }, admin)).status).toBe(400);
    expect((await sendJson("PATCH", "/markets/nope", { name: "x" }, admin)).status).toBe(404);
    expect((await sendJson("PATCH", "/markets/us", { countries: ["XB"] }, admin)).status).toBe(409);
  });
});

describe("catalog in a market's currency", () => {
  it("prices the same product in USD, EUR and GBP, each explicit per variant", async () => {
    const [eur, gbp] = [await market("EUR"), await market("GBP")];
    const p = await createProduct({ priceAmount: 2500 });
    const v = defaultVariantId(p.id);
    const set = await setPrices(p.id, [
      { market: eur.code, amount: 2399 },
      { variantId: v, market: gbp.code, amount: 1999 },
    ]);
    expect(set.items).toEqual([
      { variantId: v, market: eur.code, amount: 2399, currency: "EUR" },
      { variantId: v, market: gbp.code, amount: 1999, currency: "GBP" },
    ]);

    const cases: [string | undefined, number, Currency][] = [
      [undefined, 2500, "USD"],
      ["us", 2500, "USD"],
      [eur.code, 2399, "EUR"],
      [gbp.code, 1999, "GBP"],
    ];
    for (const [m, amount, currency] of cases) {
      const res = await detail(p.id, m);
      expect(res.status, m).toBe(200);
      const body = await json<ProductDetail>(res);
      expect(body.price, m).toEqual({ amount, currency });
      expect(
        body.variants.map((x) => x.price),
        m,
      ).toEqual([{ amount, currency }]);
    }
  });

  it("leaves out what has no price in the market: unpriced variants, and products with none", async () => {
    const eur = await market("EUR");
    const word = uniqueWord();
    const priced = await createProduct({ name: `${word} priced`, priceAmount: 1000 });
    const unpriced = await createProduct({ name: `${word} unpriced`, priceAmount: 1000 });
    await setPrices(priced.id, [{ market: eur.code, amount: 900 }]);

    const list = async (m?: string) =>
      json<ProductPage>(await call(`/products?q=${word}&sort=name${m ? `&market=${m}` : ""}`));
    expect((await list()).items.map((i) => i.id)).toEqual([priced.id, unpriced.id]);
    const inEur = await list(eur.code);
    expect(inEur.items.map((i) => [i.id, i.price])).toEqual([[priced.id, { amount: 900, currency: "EUR" }]]);
    expect((await detail(unpriced.id, eur.code)).status).toBe(404);

    // Taking the price off again takes the product off the market.
    await setPrices(priced.id, [{ market: eur.code, amount: null }]);
    expect((await list(eur.code)).items).toEqual([]);
  });

  it("keeps a market's pages apart in the cache: a warmed US page is never the EU answer", async () => {
    const eur = await market("EUR");
    const p = await createProduct({ priceAmount: 4000 });
    await setPrices(p.id, [{ market: eur.code, amount: 3799 }]);
    expect((await detail(p.id)).headers.get("x-cache")).toBe("miss");
    const warm = await detail(p.id);
    expect(warm.headers.get("x-cache")).toBe("hit");
    expect((await json<ProductDetail>(warm)).price.currency).toBe("USD");

    const eu = await detail(p.id, eur.code);
    expect(eu.headers.get("x-cache")).toBe("miss");
    expect((await json<ProductDetail>(eu)).price).toEqual({ amount: 3799, currency: "EUR" });
    const euAgain = await detail(p.id, eur.code);
    expect(euAgain.headers.get("x-cache")).toBe("hit");
    expect((await json<ProductDetail>(euAgain)).price.currency).toBe("EUR");
    expect(euAgain.headers.get("etag")).not.toBe(warm.headers.get("etag"));
  });

  it("counts price bands, filters and sorts by the market's prices", async () => {
    const eur = await market("EUR");
    const word = uniqueWord();
    // Cheap in USD, dear in EUR; and the other way round.
    const a = await createProduct({ name: `${word} a`, priceAmount: 1000 });
    const b = await createProduct({ name: `${word} b`, priceAmount: 6000 });
    await setPrices(a.id, [{ market: eur.code, amount: 7000 }]);
    await setPrices(b.id, [{ market: eur.code, amount: 1500 }]);

    const page = async (query: string) => json<ProductPage>(await call(`/products?q=${word}&${query}`));
    const bands = (p: ProductPage) => Object.fromEntries(p.facets.price.map((f) => [f.band, f.count]));
    expect(bands(await page("sort=name"))).toMatchObject({ "0-2000": 1, "5000-10000": 1 });
    expect(bands(await page(`sort=name&market=${eur.code}`))).toMatchObject({ "0-2000": 1, "5000-10000": 1 });

    expect((await page("price=0-2000")).items.map((i) => i.id)).toEqual([a.id]);
    expect((await page(`price=0-2000&market=${eur.code}`)).items.map((i) => i.id)).toEqual([b.id]);
    expect((await page(`minPrice=5000&market=${eur.code}`)).items.map((i) => i.id)).toEqual([a.id]);
    expect((await page("sort=price_asc")).items.map((i) => i.id)).toEqual([a.id, b.id]);
    const sorted = await page(`sort=price_asc&market=${eur.code}&limit=1`);
    expect(sorted.items.map((i) => i.id)).toEqual([b.id]);
    // The cursor walks on in the market's order.
    const next = await page(`sort=price_asc&market=${eur.code}&limit=1&cursor=${sorted.nextCursor}`);
    expect(next.items.map((i) => i.id)).toEqual([a.id]);
  });

  it("refuses an unknown market, and prices in the default market through the variants' own price", async () => {
    const p = await createProduct();
    const unknown = await call("/products?market=nosuch");
    expect(unknown.status).toBe(400);
    expect(unknown.headers.get("content-type")).toContain("application/problem+json");
    expect((await detail(p.id, "nosuch")).status).toBe(400);
    const res = await sendJson("PUT", `/products/${p.id}/prices`, { prices: [{ market: "us", amount: 5 }] }, admin);
    expect(res.status).toBe(400);
    const other = await createProduct();
    const foreign = await sendJson(
      "PUT",
      `/products/${p.id}/prices`,
      { prices: [{ variantId: defaultVariantId(other.id), market: "us", amount: 5 }] },
      admin,
    );
    expect(foreign.status).toBe(400);
  });
});

describe("quote in a market", () => {
  it("quotes the market's price, nothing for a variant not sold there, and the default market without one", async () => {
    const gbp = await market("GBP");
    const sold = await createProduct({ priceAmount: 3000 });
    const notSold = await createProduct({ priceAmount: 3000 });
    await setPrices(sold.id, [{ market: gbp.code, amount: 2499 }]);
    const lines = [
      { productId: sold.id, quantity: 1 },
      { productId: notSold.id, quantity: 1 },
    ];
    const [a, b] = await rpc.quote(lines, undefined, gbp.code);
    expect(a).toMatchObject({ found: true, active: true, unitPrice: { amount: 2499, currency: "GBP" } });
    expect(b).toMatchObject({ found: true, active: false, unitPrice: null });
    const [usA, usB] = await rpc.quote(lines);
    expect(usA?.unitPrice).toEqual({ amount: 3000, currency: "USD" });
    expect(usB).toMatchObject({ active: true, unitPrice: { amount: 3000, currency: "USD" } });
    const refused = await rpc.quote(lines, undefined, "nosuch").then(
      () => "quoted",
      (err: unknown) => String(err),
    );
    expect(refused).toMatch(/market: nosuch is not a market/);
  });
});
