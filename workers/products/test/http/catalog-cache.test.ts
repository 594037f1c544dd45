import { createExecutionContext, env } from "cloudflare:test";
import { exports } from "cloudflare:workers";
import type { ProductDetail, ProductPage } from "@shop/contracts";
import { describe, expect, it } from "vitest";
import worker from "../../src/index";
import { catalogVersion, createCategory, createProduct, orderId } from "../fixtures";
import { adminHeaders, call, json, sendJson, uniqueWord } from "../http";

describe("edge cache of catalog reads", () => {
  it("a repeated read is a cache hit; If-None-Match gets 304", async () => {
    const p = await createProduct();
    const first = await call(`/products/${p.id}`);
    expect(first.headers.get("x-cache")).toBe("miss");
    const etag = first.headers.get("etag") ?? "";
    const second = await call(`/products/${p.id}`);
    expect(second.headers.get("x-cache")).toBe("hit");
    expect(second.headers.get("etag")).toBe(etag);
    expect(await second.json()).toEqual(await first.json());
    const revalidated = await call(`/products/${p.id}`, { headers: { "if-none-match": etag } });
    expect(revalidated.status).toBe(304);
    expect(await revalidated.text()).toBe("");
    const listing = await call("/products?sort=newest&limit=5");
    const notModified = await call("/products?limit=5&sort=newest", {
      headers: { "if-none-match": `W/"nope", ${listing.headers.get("etag")}` },
    });
    expect(notModified.status).toBe(304);
  });

  it("after an admin price change the next read — list, detail and search — shows the new price", async () => {
    const word = uniqueWord();
    const category = await createCategory(uniqueWord("cat"));
    const p = await createProduct({ name: `${word} vase`, categoryId: category.id, priceAmount: 1000 });
    const paths = [`/products/${p.id}`, `/products?category=${category.slug}`, `/products?q=${word}`];
    const before = await Promise.all(paths.map((path) => call(path)));
    const etags = before.map((r) => r.headers.get("etag"));
    for (const path of paths) expect((await call(path)).headers.get("x-cache")).toBe("hit");

    const patch = await sendJson(
      "PATCH",
      `/products/${p.id}`,
      { price: { amount: 1500, currency: "USD" } },
      { ...(await adminHeaders()), "if-match": '"1"' },
    );
    expect(patch.status).toBe(200);

    const detail = await call(`/products/${p.id}`, { headers: { "if-none-match": etags[0] ?? "" } });
    expect(detail.status).toBe(200);
    expect((await json<ProductDetail>(detail)).price.amount).toBe(1500);
    expect((await json<ProductPage>(await call(paths[1] ?? ""))).items[0]?.price.amount).toBe(1500);
    expect((await json<ProductPage>(await call(paths[2] ?? ""))).items[0]?.price.amount).toBe(1500);
  });

  it("only a product selling out or coming back moves the catalog version; its availability follows", async () => {
    const category = await createCategory(uniqueWord("cat"));
    const p = await createProduct({ categoryId: category.id, stock: 2 });
    const listing = `/products?category=${category.slug}`;
    const available = async () => (await json<ProductPage>(await call(listing))).items[0]?.available;
    expect(await available()).toBe(true);

    // A hold that leaves stock: no bump, the cached listing still answers; the buyer's colo
    // drops the product's own page, whose quantity moved.
    expect((await json<ProductDetail>(await call(`/products/${p.id}`))).availableQuantity).toBe(2);
    const before = await catalogVersion();
    const first = orderId();
    expect((await exports.ProductsRpc.reserve(first, [{ productId: p.id, quantity: 1 }], 600)).ok).toBe(true);
    expect(await catalogVersion()).toBe(before);
    expect((await call(listing)).headers.get("x-cache")).toBe("hit");
    expect((await json<ProductDetail>(await call(`/products/${p.id}`))).availableQuantity).toBe(1);

    // The last unit: sold out, so the pages showing it change.
    const last = orderId();
    expect((await exports.ProductsRpc.reserve(last, [{ productId: p.id, quantity: 1 }], 600)).ok).toBe(true);
    expect(await catalogVersion()).toBe(before + 1);
    expect(await available()).toBe(false);
    await exports.ProductsRpc.release(last);
    expect(await catalogVersion()).toBe(before + 2);
    expect(await available()).toBe(true);
    // Releasing the other hold flips nothing: no bump, but the product's own page follows.
    expect((await json<ProductDetail>(await call(`/products/${p.id}`))).availableQuantity).toBe(1);
    await exports.ProductsRpc.release(first);
    expect(await catalogVersion()).toBe(before + 2);
    expect((await json<ProductDetail>(await call(`/products/${p.id}`))).availableQuantity).toBe(2);
    await sendJson("PUT", `/products/${p.id}/inventory`, { onHand: 0 }, await adminHeaders());
    expect(await available()).toBe(false);
  });

  it("answers a hit without D1; serves the entry when D1 fails, and 503 when there is none", async () => {
    const p = await createProduct({ priceAmount: 4321 });
    expect((await call(`/products/${p.id}`)).status).toBe(200);
    // The entry is written after the answer (waitUntil): wait until it is there.
    for (let i = 0; i < 20 && (await call(`/products/${p.id}`)).headers.get("x-cache") !== "hit"; i++) {
      await new Promise((r) => setTimeout(r, 10));
    }
    const failing = {
      prepare: () => {
        throw new Error("D1_ERROR: network connection lost");
      },
      batch: () => Promise.reject(new Error("D1_ERROR: network connection lost")),
    } as unknown as D1Database;
    const brokenEnv = { ...env, DB: failing };
    const read = (path: string, headers: Record<string, string> = {}) =>
      worker.fetch(new Request(`https://products.test${path}`, { headers }), brokenEnv, createExecutionContext());

    // The version is known in this isolate: the hit never asks D1.
    const hit = await read(`/products/${p.id}`);
    expect(hit.headers.get("x-cache")).toBe("hit");
    expect((await json<ProductDetail>(hit)).price.amount).toBe(4321);

    // A caller that must see a newer version makes the version read, which fails: the entry.
    const stale = await read(`/products/${p.id}`, { "x-catalog-version": String((await catalogVersion()) + 1) });
    expect(stale.status).toBe(200);
    expect(stale.headers.get("x-cache")).toBe("stale");
    expect((await json<ProductDetail>(stale)).price.amount).toBe(4321);

    const never = await read("/products/prd_01jd8x3v4k2m9q7r5t6w8y0zab");
    expect(never.status).toBe(503);
    expect(await json(never)).toMatchObject({ code: "service_unavailable" });
  });
});
