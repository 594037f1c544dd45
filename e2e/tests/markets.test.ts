import { describe, expect, it } from "vitest";
import { call } from "../support/http";

// Markets over HTTP (ADR 0032): the gateway picks a shopper's market from their country (or their
// choice) and the catalog comes back in its currency, with the prices the seed set for it.
//
// The country is what Cloudflare's edge puts in `request.cf.country`. Locally, `wrangler dev`
// (Miniflare) builds `request.cf` from an `MF-CF-Blob` request header when one is sent (and strips
// it), so that header is this suite's `cf-country`: the gateway carries no test code for it.

const SEEDED = "prd_01jdseed000000000000000001";

const fromCountry = (country: string, headers: Record<string, string> = {}) => ({
  "MF-CF-Blob": JSON.stringify({ country }),
  ...headers,
});

type Money = { amount: number; currency: string };
type Item = { id: string; price: Money };

async function page(country: string, headers: Record<string, string> = {}) {
  const res = await call("GET", "/products?limit=20&sort=name", { headers: fromCountry(country, headers) });
  expect(res.status).toBe(200);
  return res;
}

async function product(country: string, headers: Record<string, string> = {}) {
  const res = await call("GET", `/products/${SEEDED}`, { headers: fromCountry(country, headers) });
  expect(res.status).toBe(200);
  return res;
}

describe("markets through the gateway", () => {
  it("a shopper in Germany sees the catalog list and a product page in euros", async () => {
    const list = await page("DE");
    expect(list.headers.get("x-market")).toBe("eu");
    expect(list.body.items.length).toBeGreaterThan(0);
    for (const item of list.body.items as Item[]) expect(item.price.currency, item.id).toBe("EUR");

    const detail = await product("DE");
    expect(detail.headers.get("x-market")).toBe("eu");
    expect(detail.body.price).toEqual({ amount: 1699, currency: "EUR" });
    for (const v of detail.body.variants as { price: Money }[]) expect(v.price.currency).toBe("EUR");
  });

  it("a shopper in the US sees dollars, the same products at their own prices", async () => {
    const [us, de] = [await page("US"), await page("DE")];
    expect(us.headers.get("x-market")).toBe("us");
    for (const item of us.body.items as Item[]) expect(item.price.currency, item.id).toBe("USD");
    expect((us.body.items as Item[]).map((i) => i.id)).toEqual((de.body.items as Item[]).map((i) => i.id));
    const detail = await product("US");
    expect(detail.body.price.currency).toBe("USD");
    expect(detail.body.price.amount).not.toBe(1699);
    // A country no market names shops in the default market.
    expect((await product("JP")).body.price).toEqual(detail.body.price);
  });

  it("a market=gb cookie gives pounds wherever the shopper is; an unknown choice is ignored", async () => {
    const list = await page("DE", { cookie: "market=gb" });
    expect(list.headers.get("x-market")).toBe("gb");
    for (const item of list.body.items as Item[]) expect(item.price.currency, item.id).toBe("GBP");
    const detail = await product("US", { cookie: "market=gb" });
    expect(detail.body.price).toEqual({ amount: 1399, currency: "GBP" });
    const ignored = await product("DE", { cookie: "market=atlantis" });
    expect(ignored.body.price.currency).toBe("EUR");
  });

  it("keeps each market's cached pages apart: repeated reads stay in the shopper's currency", async () => {
    for (let i = 0; i < 3; i++) {
      for (const [country, currency] of [
        ["DE", "EUR"],
        ["US", "USD"],
        ["GB", "GBP"],
      ] as const) {
        const detail = await product(country);
        expect(detail.body.price.currency, `${country} #${i}`).toBe(currency);
      }
    }
  });

  it("lists the markets with the shopper's own one", async () => {
    const res = await call("GET", "/markets", { headers: fromCountry("FR") });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-market")).toBe("eu");
    expect(res.body.items.map((m: { code: string; currency: string }) => `${m.code}:${m.currency}`)).toEqual([
      "us:USD",
      "eu:EUR",
      "gb:GBP",
    ]);
  });
});
