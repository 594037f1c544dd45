import { appendFileSync } from "node:fs";
import { OrderStatus } from "@shop/contracts";
import { ADMIN, baseUrl, call, login, registerAndLogin } from "./http";

/** Shop-level helpers for journeys and the battery: everything goes through the public API. */

/** The seeded admin's token, one per system (each payment mode runs its own). */
const adminTokens = new Map<string, string>();
export async function admin(): Promise<string> {
  const base = baseUrl();
  const token = adminTokens.get(base) ?? (await login(ADMIN)).accessToken;
  adminTokens.set(base, token);
  return token;
}

export type Buyer = { email: string; accessToken: string; user: { id: string } };

export async function buyers(count: number, tag: string, extra: { phone?: string } = {}): Promise<Buyer[]> {
  const out: Buyer[] = [];
  // Bounded parallelism: account creation hashes passwords (100k PBKDF2 rounds each).
  for (let i = 0; i < count; i += 20) {
    out.push(
      ...(await Promise.all(
        Array.from({ length: Math.min(20, count - i) }, (_, j) => registerAndLogin(`${tag}-${i + j}`, extra)),
      )),
    );
  }
  return out;
}

let skuSeq = 0;
export async function createProduct(stock: number, opts: { price?: number; name?: string } = {}) {
  const token = await admin();
  const cats = await call("GET", "/categories");
  const categoryId = cats.body.items[0].id;
  const sku = `BAT-${Date.now().toString(36)}-${(skuSeq++).toString(36)}`.toUpperCase();
  const res = await call("POST", "/products", {
    token,
    body: {
      sku,
      name: opts.name ?? `Battery item ${sku}`,
      description: "Made by the correctness battery",
      categoryId,
      price: { amount: opts.price ?? 1500, currency: "USD" },
      initialStock: stock,
    },
  });
  if (res.status !== 201) throw new Error(`create product → ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: string; sku: string };
}

/**
 * A product with one option, `size`, and a variant per size (ADR 0029), each with `stock` units
 * on hand, made through the admin API as staff would: the product, its options (the first
 * size becomes its default variant), the other variants, then each variant's count.
 */
export async function createSizedProduct<S extends string>(
  sizes: readonly S[],
  stock: number,
  opts: { price?: number } = {},
): Promise<{ id: string; sku: string; variants: Record<S, string> }> {
  const token = await admin();
  const product = await createProduct(0, opts);
  const set = await call("PUT", `/products/${product.id}/options`, {
    token,
    body: { options: [{ name: "size", values: sizes }] },
  });
  if (set.status !== 200) throw new Error(`set options → ${set.status} ${JSON.stringify(set.body)}`);
  const variants: Record<string, string> = {};
  for (const v of set.body.items as { id: string; options: Record<string, string> }[]) {
    if (v.options.size) variants[v.options.size] = v.id;
  }
  for (const size of sizes) {
    if (variants[size]) continue;
    const res = await call("POST", `/products/${product.id}/variants`, {
      token,
      body: { sku: `${product.sku}-${size}`, options: { size } },
    });
    if (res.status !== 201) throw new Error(`create variant → ${res.status} ${JSON.stringify(res.body)}`);
    variants[size] = res.body.id;
  }
  for (const size of sizes) {
    const res = await call("PUT", `/products/${product.id}/variants/${variants[size]}/inventory`, {
      token,
      body: { onHand: stock },
    });
    if (res.status !== 200) throw new Error(`variant inventory → ${res.status} ${JSON.stringify(res.body)}`);
  }
  return { ...product, variants: variants as Record<S, string> };
}

/** One variant's stock, from the admin listing of its product's variants. */
export async function variantStockOf(
  productId: string,
  variantId: string,
): Promise<{ onHand: number; reserved: number; available: number }> {
  const res = await call("GET", `/products/${productId}/variants`, { token: await admin() });
  if (res.status !== 200) throw new Error(`variants → ${res.status} ${JSON.stringify(res.body)}`);
  const v = (res.body.items as { id: string; onHand: number; reserved: number; availableQuantity: number }[]).find(
    (x) => x.id === variantId,
  );
  if (!v) throw new Error(`no variant ${variantId} of ${productId}`);
  return { onHand: v.onHand, reserved: v.reserved, available: v.availableQuantity };
}

export async function stockOf(productId: string): Promise<{ onHand: number; reserved: number; available: number }> {
  const res = await call("GET", `/products/${productId}/inventory`, { token: await admin() });
  if (res.status !== 200) throw new Error(`inventory → ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export const ADDRESS = {
  name: "Battery Buyer",
  line1: "1 Test Street",
  city: "Berlin",
  postalCode: "10115",
  country: "DE",
};

/** `variantId`: the variant to buy; without it, the product's default variant. */
export async function addToCart(token: string, productId: string, quantity = 1, variantId?: string) {
  const res = await call("POST", "/cart/items", {
    token,
    body: { productId, quantity, ...(variantId ? { variantId } : {}) },
  });
  if (res.status >= 300) throw new Error(`add to cart → ${res.status} ${JSON.stringify(res.body)}`);
  return res;
}

export function placeOrder(token: string, key: string, paymentMethod = "pm_card_visa", body?: unknown) {
  return call("POST", "/orders", {
    token,
    headers: { "idempotency-key": key },
    body: body ?? { shippingAddress: ADDRESS, paymentMethod },
  });
}

/** Statuses an order leaves on its own (placing, waiting for the payment); every other one is settled. */
export const OPEN_STATUSES: readonly string[] = ["pending", "awaiting_payment"];
const TERMINAL = new Set<string>(OrderStatus.options.filter((s) => !OPEN_STATUSES.includes(s)));

/** Polls the order until it leaves pending/awaiting_payment (or `want` is reached). */
export async function settle(token: string, orderId: string, want?: string, timeoutMs = 60_000) {
  const until = Date.now() + timeoutMs;
  let last: { status: number; body: { status: string } } | undefined;
  while (Date.now() < until) {
    last = await call("GET", `/orders/${orderId}`, { token });
    if (last.status === 200 && (want ? last.body.status === want : TERMINAL.has(last.body.status))) return last.body;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`order ${orderId} did not settle (last: ${JSON.stringify(last?.body)})`);
}

/** Polls `check` until it returns a truthy value. */
export async function eventually<T>(
  check: () => Promise<T | undefined | false>,
  timeoutMs = 30_000,
  what = "condition",
): Promise<T> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const v = await check();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Sets the test-only fault switches of a service (only a system built with the armed harness has them, ADR 0015). */
export async function faults(service: string, specs: Record<string, unknown> | null) {
  const res = specs
    ? await call("PUT", `/__faults/${service}`, { body: specs })
    : await call("DELETE", `/__faults/${service}`);
  if (res.status !== 200) throw new Error(`faults ${service} → ${res.status} ${JSON.stringify(res.body)}`);
}

/** A small seeded PRNG (mulberry32), so a failing battery run can be replayed with its seed. */
export function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One row of the battery's summary table (printed by scripts/battery.sh). */
export function record(item: string, counts: Record<string, number | string | boolean>) {
  const file = process.env.BATTERY_REPORT;
  if (file) appendFileSync(file, `${JSON.stringify({ item, ...counts })}\n`);
}
