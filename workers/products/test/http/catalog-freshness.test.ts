import { env } from "cloudflare:test";
import type { ProductDetail, ProductPage } from "@shop/contracts";
import { CATALOG_FRESHNESS_MS, EDGE_HOT_CATALOG_MS } from "@shop/contracts";
import { afterEach, describe, expect, it, vi } from "vitest";
import { MAX_AGE_MS, REFRESH_AFTER_MS } from "../../src/services/catalog/version";
import { createCategory, createProduct } from "../fixtures";
import { adminHeaders, call, json, sendJson, uniqueWord } from "../http";

/** The request's own D1 round trips, as the armed harness reports them. */
function trips(res: Response): number {
  const m = /d1;desc="(\d+) round trips"/.exec(res.headers.get("server-timing") ?? "");
  if (!m?.[1]) throw new Error("no D1 meter in Server-Timing (is the harness armed?)");
  return Number(m[1]);
}

const priceOf = async (res: Response) => (await json<ProductDetail>(res)).price.amount;

/** A price change committed by another isolate (this one learns of it only by reading D1). */
async function priceChangedElsewhere(productId: string, amount: number): Promise<number> {
  const [, bumped] = await env.DB.batch([
    env.DB.prepare("UPDATE products SET price_amount = ?2, version = version + 1 WHERE id = ?1").bind(
      productId,
      amount,
    ),
    env.DB.prepare(
      "UPDATE catalog_state SET version = version + 1, stamp = lower(hex(randomblob(8))) WHERE id = 1 RETURNING version",
    ),
  ]);
  const row = bumped?.results[0] as { version: number } | undefined;
  if (!row) throw new Error("catalog_state was not bumped");
  return row.version;
}

/**
 * Moves this isolate's clock (the worker runs in the test's isolate); timers stay real. The
 * moves add up across tests, so the clock never goes back behind what the isolate remembers.
 */
let skew = 0;
function advance(ms: number): void {
  skew += ms;
  vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + skew });
}

describe("catalog freshness and cost", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("an uncached read is one D1 round trip, a cache hit none", async () => {
    const word = uniqueWord();
    const p = await createProduct({ name: `${word} lamp` });
    for (const path of [`/products/${p.id}`, `/products?q=${word}`, `/products?q=${word}&sort=name`]) {
      const miss = await call(path);
      expect(miss.headers.get("x-cache"), path).toBe("miss");
      expect(trips(miss), path).toBe(1);
      const hit = await call(path);
      expect(hit.headers.get("x-cache"), path).toBe("hit");
      expect(trips(hit), path).toBe(0);
    }
  });

  it("the admin who wrote reads the write at once, by header or by cookie", async () => {
    const p = await createProduct({ priceAmount: 1000 });
    expect(await priceOf(await call(`/products/${p.id}`))).toBe(1000);
    const version = await priceChangedElsewhere(p.id, 1200);
    // A shopper within the bound may still get the cached page...
    expect(await priceOf(await call(`/products/${p.id}`))).toBe(1000);
    // ...the admin's next read carries the version the write returned.
    const own = await call(`/products/${p.id}`, { headers: { "x-catalog-version": String(version) } });
    expect(own.headers.get("x-cache")).toBe("miss");
    expect(await priceOf(own)).toBe(1200);

    const q = await createProduct({ priceAmount: 500 });
    expect(await priceOf(await call(`/products/${q.id}`))).toBe(500);
    const patch = await sendJson(
      "PATCH",
      `/products/${q.id}`,
      { price: { amount: 700, currency: "USD" } },
      { ...(await adminHeaders()), "if-match": '"1"' },
    );
    expect(patch.status).toBe(200);
    const written = Number(patch.headers.get("x-catalog-version"));
    expect(written).toBeGreaterThan(version);
    expect(patch.headers.get("set-cookie")).toContain(`catalog_version=${written}`);
    const byCookie = await call(`/products/${q.id}`, { headers: { cookie: `catalog_version=${written}` } });
    expect(await priceOf(byCookie)).toBe(700);
  });

  it("a price change made elsewhere reaches shoppers within the bound, refreshed in the background", async () => {
    const category = await createCategory(uniqueWord("cat"));
    const p = await createProduct({ categoryId: category.id, priceAmount: 1000 });
    const listing = `/products?category=${category.slug}`;
    const listedPrice = async () => (await json<ProductPage>(await call(listing))).items[0]?.price.amount;
    expect(await listedPrice()).toBe(1000);
    await priceChangedElsewhere(p.id, 1500);
    expect(await listedPrice()).toBe(1000);

    // Past the refresh age: the hit is still served at once, and one read refreshes the memo.
    advance(REFRESH_AFTER_MS + 100);
    const served = await call(listing);
    expect(served.headers.get("x-cache")).toBe("hit");
    expect(trips(served)).toBe(0); // the refresh starts after the answer
    await new Promise((r) => setTimeout(r, 100));
    expect(await listedPrice()).toBe(1500);
  });

  it("an isolate idle past the bound reads the version before it serves", async () => {
    const p = await createProduct({ priceAmount: 1000 });
    expect(await priceOf(await call(`/products/${p.id}`))).toBe(1000);
    await priceChangedElsewhere(p.id, 900);
    // The products memo and the gateway's hot copy together stay inside the stated 5 s bound.
    expect(CATALOG_FRESHNESS_MS).toBeLessThanOrEqual(5_000);
    expect(MAX_AGE_MS + EDGE_HOT_CATALOG_MS).toBeLessThanOrEqual(CATALOG_FRESHNESS_MS);
    advance(MAX_AGE_MS + 1);
    const res = await call(`/products/${p.id}`);
    expect(await priceOf(res)).toBe(900);
    expect(trips(res)).toBe(2); // the version, then the page it outdated
  });
});
