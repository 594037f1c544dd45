import { env } from "cloudflare:test";
import { newId } from "@shop/runtime";

export type ProductFixture = {
  id: string;
  sku: string;
  name: string;
  categoryId: string;
};

let seq = 0;

export async function createCategory(slug = `cat-${++seq}-${Date.now()}`, name = `Category ${slug}`) {
  const id = newId("category");
  await env.DB.prepare("INSERT INTO categories (id, slug, name, created_at) VALUES (?1, ?2, ?3, ?4)")
    .bind(id, slug, name, Date.now())
    .run();
  return { id, slug, name };
}

/** A product with stock, written straight to D1 (the admin routes have their own tests). */
export async function createProduct(
  opts: {
    stock?: number;
    name?: string;
    description?: string;
    priceAmount?: number;
    currency?: string;
    categoryId?: string;
    status?: "active" | "archived";
    createdAt?: number;
  } = {},
): Promise<ProductFixture> {
  const id = newId("product");
  const n = ++seq;
  const categoryId = opts.categoryId ?? (await createCategory()).id;
  const sku = `SKU-${n}-${id.slice(-6)}`;
  const name = opts.name ?? `Product ${n}`;
  const now = opts.createdAt ?? Date.now();
  await env.DB.batch([
    env.DB.prepare(
      `INSERT INTO products (id, sku, name, description, category_id, price_amount, currency, attributes, image_urls, status, version, created_at, updated_at)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, '{}', '[]', ?8, 1, ?9, ?9)`,
    ).bind(
      id,
      sku,
      name,
      opts.description ?? `Description of ${name}`,
      categoryId,
      opts.priceAmount ?? 1000,
      opts.currency ?? "USD",
      opts.status ?? "active",
      now,
    ),
    env.DB.prepare("INSERT INTO inventory (product_id, on_hand, reserved, updated_at) VALUES (?1, ?2, 0, ?3)").bind(
      id,
      opts.stock ?? 10,
      now,
    ),
  ]);
  return { id, sku, name, categoryId };
}

export async function stockOf(productId: string): Promise<{ onHand: number; reserved: number }> {
  const row = await env.DB.prepare("SELECT on_hand, reserved FROM inventory WHERE product_id = ?1")
    .bind(productId)
    .first<{ on_hand: number; reserved: number }>();
  if (!row) throw new Error(`no inventory for ${productId}`);
  return { onHand: row.on_hand, reserved: row.reserved };
}

export async function reservationsOf(orderId: string) {
  const { results } = await env.DB.prepare(
    "SELECT product_id, quantity, state, expires_at FROM reservations WHERE order_id = ?1 ORDER BY product_id",
  )
    .bind(orderId)
    .all<{ product_id: string; quantity: number; state: string; expires_at: number }>();
  return results;
}

export const orderId = () => newId("order");

/** The catalog version in D1 now. */
export async function catalogVersion(): Promise<number> {
  const row = await env.DB.prepare("SELECT version FROM catalog_state WHERE id = 1").first<{ version: number }>();
  if (!row) throw new Error("catalog_state row is missing");
  return row.version;
}

/** The start of a PNG: its signature and an IHDR giving the size (enough for the upload's checks). */
export function pngBytes(width = 4, height = 3, padTo = 64): Uint8Array {
  const b = new Uint8Array(Math.max(padTo, 33));
  b.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
  const v = new DataView(b.buffer);
  v.setUint32(16, width);
  v.setUint32(20, height);
  b.set([8, 6, 0, 0, 0], 24);
  // Different bytes per call: every upload is another content hash.
  crypto.getRandomValues(b.subarray(33, 33 + 32));
  return b;
}

/** An image row and its bytes in R2, written straight (the image routes have their own tests). */
export async function createImage(productId: string, alt = "An image"): Promise<{ id: string; key: string }> {
  const id = newId("image");
  const key = `${productId}/${id}-0123456789abcdef.png`;
  await env.IMAGES.put(key, pngBytes(), { httpMetadata: { contentType: "image/png" } });
  await env.DB.prepare(
    `INSERT INTO product_images (id, product_id, position, r2_key, sha256, content_type, bytes, alt, created_at)
     VALUES (?1, ?2, (SELECT COALESCE(MAX(position) + 1, 0) FROM product_images WHERE product_id = ?2), ?3, ?4, 'image/png', 64, ?5, ?6)`,
  )
    .bind(id, productId, key, "0".repeat(64), alt, Date.now())
    .run();
  return { id, key };
}
