import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, newShopper, screenshot, signIn } from "../support/browser";
import { ADMIN, baseUrl, call } from "../support/http";

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

/** The seeded products a shopper from `country` is offered, in name order, over every page. */
async function seededIds(country: string): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const res = await call(
      "GET",
      `/products?limit=100&sort=name${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
      {
        headers: fromCountry(country),
      },
    );
    expect(res.status).toBe(200);
    ids.push(...(res.body.items as Item[]).map((i) => i.id).filter((id) => id.startsWith("prd_01jdseed")));
    cursor = res.body.nextCursor;
  } while (cursor);
  return ids;
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
    const us = await page("US");
    expect(us.headers.get("x-market")).toBe("us");
    for (const item of us.body.items as Item[]) expect(item.price.currency, item.id).toBe("USD");
    expect(us.body.items.length).toBeGreaterThan(0);
    // Every seeded product is priced in both markets, so both sell the same ones. (Products other
    // tests create are priced in the default market only, so they are left out of the euro area's.)
    expect(await seededIds("US")).toEqual(await seededIds("DE"));
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

describe("the storefront's market selector", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("shows a shopper in Germany euros with their market selected; choosing pounds reprices the shop", async () => {
    const { page, errors, context } = await newShopper(browser, baseUrl());
    await context.setExtraHTTPHeaders(fromCountry("DE"));
    await page.goto("/#/products");
    const select = page.getByLabel("Prices for");
    await select.waitFor();
    expect(await select.inputValue()).toBe("eu");
    const firstPrice = page.locator(".card .price").first();
    await expect.poll(() => firstPrice.textContent(), { timeout: 10_000 }).toContain("€");

    await select.selectOption("gb");
    await page.waitForLoadState("load");
    await expect.poll(() => page.getByLabel("Prices for").inputValue(), { timeout: 10_000 }).toBe("gb");
    await expect.poll(() => page.locator(".card .price").first().textContent(), { timeout: 10_000 }).toContain("£");
    expect((await context.cookies()).find((c) => c.name === "market")?.value).toBe("gb");
    await screenshot(page, "markets-gbp");
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe("admin: markets", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("creates a market and prices a product in it; shoppers choosing it see that price", async () => {
    const code = `x${Math.random()
      .toString(36)
      .replace(/[^a-z]/g, "")
      .slice(0, 6)}`;
    const { page, errors, context } = await newShopper(browser, baseUrl());
    await signIn(page, ADMIN);
    await page.goto("/#/admin/markets");
    await page.getByRole("heading", { name: "Admin: markets" }).waitFor();

    const create = page.locator("#create-market");
    await create.getByLabel(/^Code/).fill(code);
    await create.getByLabel("Name").fill("Switzerland test");
    await create.getByLabel("Currency").selectOption("CHF");
    await create.getByRole("button", { name: "Create market" }).click();
    await page.getByRole("heading", { name: "Switzerland test · CHF" }).waitFor();

    const prices = page.locator("#market-prices");
    await prices.getByLabel("Product id").fill(SEEDED);
    await prices.getByLabel("Market").selectOption(code);
    await prices.getByLabel("Price for every variant").fill("12.34");
    await prices.getByRole("button", { name: "Set prices" }).click();
    await expect
      .poll(() => page.locator("#flash").textContent(), { timeout: 10_000 })
      .toContain("Prices in Switzerland test saved");
    expect(errors).toEqual([]);
    await context.close();

    // Within the gateway's market memo bound, shoppers can choose it.
    await expect
      .poll(async () => (await call("GET", `/products/${SEEDED}`, { headers: { "x-market": code } })).body.price, {
        timeout: 70_000,
        interval: 2_000,
      })
      .toEqual({ amount: 1234, currency: "CHF" });
  }, 120_000);
});
