import { createExecutionContext, createMessageBatch, env, getQueueResult, SELF } from "cloudflare:test";
import { defaultVariantId, type Order, type PaymentEvent, type PlaceOrderBody } from "@shop/contracts";
import { newId } from "@shop/runtime";
import { bearer, mintToken } from "@shop/testing/worker";
import { expect, vi } from "vitest";
import worker from "../src/index";

export type Shopper = { userId: string; token: string };

export async function shopper(role: "customer" | "admin" = "customer"): Promise<Shopper> {
  const userId = newId("user");
  return { userId, token: await mintToken(env.TEST_SIGNING_JWK, { sub: userId, role }) };
}

let seq = 0;

/** A product with stock, written straight into the products worker's database. */
export async function createProduct(
  opts: { stock?: number; price?: number; currency?: string; status?: "active" | "archived" } = {},
): Promise<string> {
  const n = ++seq;
  const id = newId("product");
  const categoryId = newId("category");
  const now = Date.now();
  const db = env.TEST_PRODUCTS_DB;
  await db.batch([
    db
      .prepare("INSERT INTO categories (id, slug, name, created_at) VALUES (?1, ?2, ?3, ?4)")
      .bind(categoryId, `orders-test-${n}-${id.slice(-8)}`, `Category ${n}`, now),
    db
      .prepare(
        `INSERT INTO products (id, sku, name, description, category_id, price_amount, currency, attributes, image_urls, status, version, created_at, updated_at)
         VALUES (?1, ?2, ?3, 'A thing', ?4, ?5, ?6, '{}', '[]', ?7, 1, ?8, ?8)`,
      )
      .bind(
        id,
        `OT-${n}-${id.slice(-6)}`,
        `Thing ${n}`,
        categoryId,
        opts.price ?? 1250,
        opts.currency ?? "USD",
        opts.status ?? "active",
        now,
      ),
    db
      .prepare("INSERT INTO inventory (product_id, on_hand, reserved, updated_at) VALUES (?1, ?2, 0, ?3)")
      .bind(id, opts.stock ?? 10, now),
  ]);
  return id;
}

/**
 * A product with a size option (ADR 0029): one variant per entry, in order, each with its own
 * stock row, SKU `<product sku>-<size>` and price (the product's unless given). The first is the
 * product's default variant (made by the catalog's trigger). Written as the products worker does.
 */
export async function createSizedProduct<S extends string>(
  sizes: { size: S; stock: number; price?: number; status?: "active" | "archived" }[],
  opts: { price?: number } = {},
): Promise<{ productId: string; variants: Record<S, string> }> {
  const [first, ...rest] = sizes;
  if (!first) throw new Error("a sized product needs a size");
  const productId = await createProduct({ stock: first.stock, price: opts.price ?? first.price ?? 1250 });
  const db = env.TEST_PRODUCTS_DB;
  const sku = (await db.prepare("SELECT sku FROM products WHERE id = ?1").bind(productId).first<{ sku: string }>())
    ?.sku;
  const now = Date.now();
  const variants: Record<string, string> = { [first.size]: defaultVariantId(productId) };
  const statements = [
    db
      .prepare("UPDATE products SET options = ?2 WHERE id = ?1")
      .bind(productId, JSON.stringify([{ name: "size", values: sizes.map((v) => v.size) }])),
    db
      .prepare(
        "UPDATE product_variants SET options = ?2, option_key = ?3, sku = ?4, price_amount = ?5, status = ?6 WHERE id = ?1",
      )
      .bind(
        defaultVariantId(productId),
        JSON.stringify({ size: first.size }),
        first.size,
        `${sku}-${first.size}`,
        first.price ?? opts.price ?? 1250,
        first.status ?? "active",
      ),
  ];
  rest.forEach((v, i) => {
    const id = newId("variant");
    variants[v.size] = id;
    statements.push(
      db
        .prepare(
          `INSERT INTO product_variants (id, product_id, sku, options, option_key, price_amount, status, position, created_at, updated_at)
           VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)`,
        )
        .bind(
          id,
          productId,
          `${sku}-${v.size}`,
          JSON.stringify({ size: v.size }),
          v.size,
          v.price ?? opts.price ?? 1250,
          v.status ?? "active",
          i + 1,
          now,
        ),
      db
        .prepare(
          "INSERT INTO inventory (variant_id, product_id, on_hand, reserved, updated_at) VALUES (?1, ?2, ?3, 0, ?4)",
        )
        .bind(id, productId, v.stock, now),
    );
  });
  await db.batch(statements);
  return { productId, variants: variants as Record<S, string> };
}

/** One variant's stock row in the catalog's inventory. */
export async function variantStock(variantId: string): Promise<{ onHand: number; reserved: number }> {
  const row = await env.TEST_PRODUCTS_DB.prepare("SELECT on_hand, reserved FROM inventory WHERE variant_id = ?1")
    .bind(variantId)
    .first<{ on_hand: number; reserved: number }>();
  if (!row) throw new Error(`no inventory for ${variantId}`);
  return { onHand: row.on_hand, reserved: row.reserved };
}

export async function stockOf(productId: string): Promise<{ onHand: number; reserved: number }> {
  const row = await env.TEST_PRODUCTS_DB.prepare("SELECT on_hand, reserved FROM inventory WHERE product_id = ?1")
    .bind(productId)
    .first<{ on_hand: number; reserved: number }>();
  if (!row) throw new Error(`no inventory for ${productId}`);
  return { onHand: row.on_hand, reserved: row.reserved };
}

export async function setStock(productId: string, onHand: number): Promise<void> {
  await env.TEST_PRODUCTS_DB.prepare("UPDATE inventory SET on_hand = ?2 WHERE product_id = ?1")
    .bind(productId, onHand)
    .run();
}

/** `cartToken`: the guest cart token sent in `x-cart-id` (`cartId` is its older name). */
type CallOptions = {
  token?: string;
  cartId?: string;
  cartToken?: string;
  body?: unknown;
  headers?: Record<string, string>;
};

export function call(method: string, path: string, opts: CallOptions = {}): Promise<Response> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) Object.assign(headers, bearer(opts.token));
  const cartToken = opts.cartToken ?? opts.cartId;
  if (cartToken) headers["x-cart-id"] = cartToken;
  if (opts.body !== undefined) headers["content-type"] = "application/json";
  return SELF.fetch(`https://orders${path}`, {
    method,
    headers,
    ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
  });
}

export const ADDRESS = {
  name: "Ada Lovelace",
  line1: "12 Analytical St",
  city: "London",
  postalCode: "N1 9GU",
  country: "GB",
};

export function orderBody(paymentMethod = "pm_card_visa"): PlaceOrderBody {
  return { shippingAddress: ADDRESS, paymentMethod };
}

export function placeOrder(who: Shopper, key: string, body: unknown = orderBody()): Promise<Response> {
  return call("POST", "/orders", { token: who.token, body, headers: { "idempotency-key": key } });
}

/** Fills the shopper's cart and places an order; returns the 201 body. */
export async function checkout(
  who: Shopper,
  lines: { productId: string; variantId?: string; quantity: number }[],
  paymentMethod = "pm_card_visa",
): Promise<Order> {
  for (const line of lines) {
    const added = await call("POST", "/cart/items", { token: who.token, body: line });
    if (added.status !== 200) throw new Error(`add to cart: ${added.status} ${await added.text()}`);
  }
  const res = await placeOrder(who, `key-${crypto.randomUUID()}`, orderBody(paymentMethod));
  if (res.status !== 201) throw new Error(`place order: ${res.status} ${await res.text()}`);
  return (await res.json()) as Order;
}

export async function getOrder(who: Shopper, orderId: string): Promise<Order> {
  const res = await call("GET", `/orders/${orderId}`, { token: who.token });
  if (res.status !== 200) throw new Error(`get order: ${res.status} ${await res.text()}`);
  return (await res.json()) as Order;
}

/** Waits (bounded) until the order reaches `status` through the real queue path. */
export function untilStatus(who: Shopper, orderId: string, status: Order["status"]): Promise<Order> {
  return vi.waitFor(
    async () => {
      const order = await getOrder(who, orderId);
      if (order.status !== status) throw new Error(`order is ${order.status}, waiting for ${status}`);
      return order;
    },
    { timeout: 15_000, interval: 100 },
  );
}

/** The notification messages the orders worker queued for a user. */
export async function notificationsFor(
  userId: string,
): Promise<{ id: string; type: string; data: Record<string, unknown> }[]> {
  const { keys } = await env.TEST_NOTIFICATIONS.list({ prefix: `msg:${userId}:` });
  return Promise.all(keys.map(async (k) => JSON.parse((await env.TEST_NOTIFICATIONS.get(k.name)) ?? "{}")));
}

export function untilNotified(userId: string, type: string) {
  return vi.waitFor(
    async () => {
      const all = await notificationsFor(userId);
      if (!all.some((m) => m.type === type)) throw new Error(`no ${type} yet for ${userId}`);
      return all;
    },
    { timeout: 10_000, interval: 100 },
  );
}

/** The events the real payments worker emitted for a payment (its outbox keeps them). */
export async function paymentEventsOf(paymentId: string): Promise<PaymentEvent[]> {
  const { results } = await env.TEST_PAYMENTS_DB.prepare(
    "SELECT id, data, created_at FROM payment_events_outbox WHERE payment_id = ?1 ORDER BY id",
  )
    .bind(paymentId)
    .all<{ id: string; data: string; created_at: string }>();
  return results.map((r) => ({
    id: r.id,
    type: "payment.status_changed",
    version: 1,
    occurredAt: r.created_at,
    data: JSON.parse(r.data),
  }));
}

export async function paymentRow(orderId: string) {
  return env.TEST_PAYMENTS_DB.prepare("SELECT id, status, amount, amount_refunded FROM payments WHERE order_id = ?1")
    .bind(orderId)
    .first<{ id: string; status: string; amount: number; amount_refunded: number }>();
}

/** Delivers messages to the worker's own `payment-events` consumer, as the queue would. */
export async function deliverPaymentEvents(events: unknown[]) {
  const batch = createMessageBatch(
    "payment-events",
    events.map((body, i) => ({ id: `m-${i}-${crypto.randomUUID()}`, timestamp: new Date(), attempts: 1, body })),
  );
  const ctx = createExecutionContext();
  await worker.queue(batch, env as never, ctx as never);
  return getQueueResult(batch, ctx);
}

export async function problem(res: Response) {
  expect(res.headers.get("content-type")).toContain("application/problem+json");
  return (await res.json()) as {
    status: number;
    code: string;
    detail?: string;
    errors?: { path: string; message: string }[];
  };
}
