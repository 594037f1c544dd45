import { env } from "cloudflare:test";
import { newId } from "@shop/runtime";
import { forgedAdminTokens } from "@shop/testing/worker";
import { beforeAll, describe, expect, it } from "vitest";
import { createCategory, createImage, createProduct, type ProductFixture, pngBytes } from "../fixtures";
import { adminHeaders, call, customerHeaders, json, uniqueWord } from "../http";

/**
 * The security matrix of the catalog: every admin route refuses no token and tokens we did not
 * issue (401) and customers (403), and a refused request changes nothing. Catalog reads are
 * public and never show stock internals or archived products.
 */

type Fixture = ProductFixture & { imageId: string; variantId: string };
type AdminRoute = {
  method: string;
  path: (p: Fixture) => string;
  body?: (categoryId: string, p: Fixture) => unknown;
  /** A raw (non-JSON) body: an image upload. */
  upload?: boolean;
};

const ADMIN_SUB = "usr_01jd8x3v4k2m9q7r5t6w8y0zaa";

let admin: Record<string, string>;
let customer: Record<string, string>;
let categoryId: string;
/** A market beside the default one, for the price routes (ADR 0032). */
const MARKET = `s${crypto
  .randomUUID()
  .replace(/[^a-z]/g, "")
  .slice(0, 6)}`;
const marketCode = () =>
  `s${crypto
    .randomUUID()
    .replace(/[^a-z]/g, "")
    .slice(0, 7)}`;

beforeAll(async () => {
  admin = await adminHeaders();
  customer = await customerHeaders();
  categoryId = (await createCategory(uniqueWord("sec"))).id;
  const res = await call("/markets", {
    method: "POST",
    headers: { "content-type": "application/json", ...admin },
    body: JSON.stringify({ code: MARKET, name: "Security", currency: "EUR", countries: [] }),
  });
  expect(res.status).toBe(201);
});

const adminRoutes: [string, AdminRoute][] = [
  [
    "POST /products",
    {
      method: "POST",
      path: () => "/products",
      body: (cat) => ({
        sku: `SKU-${uniqueWord()}`,
        name: "Forged mug",
        categoryId: cat,
        price: { amount: 1, currency: "USD" },
        initialStock: 5,
      }),
    },
  ],
  ["PATCH /products/{id}", { method: "PATCH", path: (p) => `/products/${p.id}`, body: () => ({ name: "Defaced" }) }],
  ["DELETE /products/{id}", { method: "DELETE", path: (p) => `/products/${p.id}` }],
  ["GET /products/{id}/inventory", { method: "GET", path: (p) => `/products/${p.id}/inventory` }],
  ["GET /products/inventory", { method: "GET", path: (p) => `/products/inventory?ids=${p.id}` }],
  [
    "PUT /products/{id}/inventory",
    { method: "PUT", path: (p) => `/products/${p.id}/inventory`, body: () => ({ onHand: 0 }) },
  ],
  ["GET /products/{id}/images", { method: "GET", path: (p) => `/products/${p.id}/images` }],
  ["PUT /products/{id}/images", { method: "PUT", path: (p) => `/products/${p.id}/images?alt=Forged`, upload: true }],
  [
    "PATCH /products/{id}/images",
    {
      method: "PATCH",
      path: (p) => `/products/${p.id}/images`,
      body: (_cat, p) => ({ images: [{ id: p.imageId, alt: "Defaced" }] }),
    },
  ],
  [
    "DELETE /products/{id}/images/{imageId}",
    { method: "DELETE", path: (p) => `/products/${p.id}/images/${p.imageId}` },
  ],
  ["GET /products/{id}/variants", { method: "GET", path: (p) => `/products/${p.id}/variants` }],
  [
    "PUT /products/{id}/options",
    {
      method: "PUT",
      path: (p) => `/products/${p.id}/options`,
      body: () => ({ options: [{ name: "size", values: ["S", "M", "L", "XL"] }] }),
    },
  ],
  [
    "POST /products/{id}/variants",
    {
      method: "POST",
      path: (p) => `/products/${p.id}/variants`,
      body: (_cat, p) => ({ sku: `${p.sku}-L`, options: { size: "L" }, initialStock: 1 }),
    },
  ],
  [
    "PATCH /products/{id}/variants/{variantId}",
    {
      method: "PATCH",
      path: (p) => `/products/${p.id}/variants/${p.variantId}`,
      body: () => ({ status: "archived" }),
    },
  ],
  [
    "PUT /products/{id}/variants/{variantId}/inventory",
    {
      method: "PUT",
      path: (p) => `/products/${p.id}/variants/${p.variantId}/inventory`,
      body: () => ({ onHand: 0 }),
    },
  ],
  ["GET /products/{id}/prices", { method: "GET", path: (p) => `/products/${p.id}/prices` }],
  [
    "PUT /products/{id}/prices",
    {
      method: "PUT",
      path: (p) => `/products/${p.id}/prices`,
      body: () => ({ prices: [{ market: MARKET, amount: 1 }] }),
    },
  ],
  [
    "POST /markets",
    {
      method: "POST",
      path: () => "/markets",
      body: () => ({ code: marketCode(), name: "Forged", currency: "GBP", countries: [] }),
    },
  ],
  [
    "PATCH /markets/{code}",
    { method: "PATCH", path: () => `/markets/${MARKET}`, body: () => ({ name: `Renamed ${uniqueWord()}` }) },
  ],
];

/** A product with stock, one image, and a size option with two variants (S, the default, and M). */
async function fixture(): Promise<Fixture> {
  const p = await createProduct({ stock: 10 });
  const variantId = newId("variant");
  const now = Date.now();
  await env.DB.batch([
    env.DB.prepare(`UPDATE products SET options = '[{"name":"size","values":["S","M","L"]}]' WHERE id = ?1`).bind(p.id),
    env.DB.prepare(
      `UPDATE product_variants SET options = '{"size":"S"}', option_key = '["S"]' WHERE product_id = ?1`,
    ).bind(p.id),
    env.DB.prepare(
      `INSERT INTO product_variants (id, product_id, sku, options, option_key, price_amount, position, created_at, updated_at)
       VALUES (?1, ?2, ?3, '{"size":"M"}', '["M"]', 1000, 1, ?4, ?4)`,
    ).bind(variantId, p.id, `${p.sku}-M`, now),
    env.DB.prepare(
      "INSERT INTO inventory (variant_id, product_id, on_hand, reserved, updated_at) VALUES (?1, ?2, 5, 0, ?3)",
    ).bind(variantId, p.id, now),
  ]);
  return { ...p, imageId: (await createImage(p.id)).id, variantId };
}

function send(route: AdminRoute, p: Fixture, headers: Record<string, string>) {
  if (route.upload) {
    return call(route.path(p), {
      method: route.method,
      headers: { "content-type": "image/png", ...headers },
      body: pngBytes(),
    });
  }
  const body = route.body?.(categoryId, p);
  return call(route.path(p), {
    method: route.method,
    headers: { "if-match": '"1"', ...(body === undefined ? {} : { "content-type": "application/json" }), ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

/** The stored state a refused request must leave alone: the product, its stock and images, and the category's size. */
async function stored(p: Fixture) {
  const product = await env.DB.prepare("SELECT name, status, version, price_amount FROM products WHERE id = ?1")
    .bind(p.id)
    .first();
  const inCategory = await env.DB.prepare("SELECT COUNT(*) AS n FROM products WHERE category_id = ?1")
    .bind(categoryId)
    .first<{ n: number }>();
  const images = await env.DB.prepare(
    "SELECT id, position, alt FROM product_images WHERE product_id = ?1 ORDER BY position",
  )
    .bind(p.id)
    .all();
  const variants = await env.DB.prepare(
    `SELECT v.id, v.sku, v.options, v.price_amount, v.status, i.on_hand, i.reserved
     FROM product_variants v LEFT JOIN inventory i ON i.variant_id = v.id WHERE v.product_id = ?1 ORDER BY v.id`,
  )
    .bind(p.id)
    .all();
  const prices = await env.DB.prepare(
    "SELECT variant_id, market, amount FROM variant_prices WHERE variant_id IN (SELECT id FROM product_variants WHERE product_id = ?1) ORDER BY 1, 2",
  )
    .bind(p.id)
    .all();
  const markets = await env.DB.prepare("SELECT code, name, countries FROM markets ORDER BY code").all();
  return {
    product,
    variants: variants.results,
    images: images.results,
    inCategory: inCategory?.n,
    prices: prices.results,
    markets: markets.results,
  };
}

describe.each(adminRoutes)("%s (admin only)", (_name, route) => {
  it("no token → 401, a customer → 403, and nothing changes", async () => {
    const p = await fixture();
    const before = await stored(p);
    expect((await send(route, p, {})).status).toBe(401);
    const refused = await send(route, p, customer);
    expect(refused.status).toBe(403);
    expect(refused.headers.get("content-type")).toContain("application/problem+json");
    expect(await stored(p)).toEqual(before);
  });

  it("a forged, expired or tampered admin token → 401, and nothing changes", async () => {
    const p = await fixture();
    const before = await stored(p);
    for (const [what, token] of await forgedAdminTokens(env.TEST_SIGNING_JWK, ADMIN_SUB)) {
      expect((await send(route, p, { authorization: `Bearer ${token}` })).status, what).toBe(401);
    }
    expect(await stored(p)).toEqual(before);
  });

  it("the same request succeeds for an admin (the control for the refusals above)", async () => {
    const p = await fixture();
    const before = await stored(p);
    const res = await send(route, p, admin);
    expect(res.status).toBeLessThan(300);
    if (route.method !== "GET") expect(await stored(p)).not.toEqual(before);
  });
});

describe("public catalog reads", () => {
  it("answer without a token and never show on-hand or reserved units", async () => {
    const word = uniqueWord();
    const p = await createProduct({ stock: 7, name: `Jug ${word}` });
    for (const path of [`/products?q=${word}`, `/products/${p.id}`, "/categories"]) {
      const res = await call(path);
      expect(res.status, path).toBe(200);
      const text = await res.text();
      expect(text, path).not.toMatch(/"(onHand|reserved)"/);
    }
  });

  it("never list or show an archived product, and a shopper cannot ask for one by status", async () => {
    const word = uniqueWord();
    const archived = await createProduct({ status: "archived", name: `Vase ${word}` });
    expect((await json<{ items: unknown[] }>(await call(`/products?q=${word}`))).items).toEqual([]);
    expect((await call(`/products/${archived.id}`)).status).toBe(404);
    expect((await call(`/products?q=${word}&status=archived`)).status).toBe(400);
  });
});
