import { createExecutionContext, createScheduledController, env, waitOnExecutionContext } from "cloudflare:test";
import { exports } from "cloudflare:workers";
import { defaultVariantId } from "@shop/contracts";
import { describe, expect, it } from "vitest";
import worker from "../src/index";
import { createProduct, orderId, reservationsOf, stockOf } from "./fixtures";

const rpc = exports.ProductsRpc;
const TTL = 600;

/** The error an RPC call threw (awaited inside, so the rejection is handled here). */
async function thrown(call: () => Promise<unknown>): Promise<string> {
  try {
    await call();
  } catch (err) {
    return String(err);
  }
  throw new Error("expected the call to throw");
}

async function runCron(at: number) {
  const ctx = createExecutionContext();
  await worker.scheduled(createScheduledController({ scheduledTime: at, cron: "* * * * *" }), env, ctx);
  await waitOnExecutionContext(ctx);
}

describe("reserve", () => {
  it("100 parallel single-unit reserves against stock 10: exactly 10 succeed", async () => {
    const p = await createProduct({ stock: 10 });
    const results = await Promise.all(
      Array.from({ length: 100 }, () => rpc.reserve(orderId(), [{ productId: p.id, quantity: 1 }], TTL)),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(10);
    const failures = results.filter((r) => !r.ok);
    expect(failures).toHaveLength(90);
    for (const f of failures) {
      expect(f).toMatchObject({
        ok: false,
        code: "insufficient_stock",
        lines: [{ productId: p.id, requested: 1, available: 0, reason: "insufficient_stock" }],
      });
    }
    expect(await stockOf(p.id)).toEqual({ onHand: 10, reserved: 10 });
  });

  it("a multi-line reserve with one short line reserves nothing and names the short line", async () => {
    const plenty = await createProduct({ stock: 50 });
    const scarce = await createProduct({ stock: 2 });
    const order = orderId();
    const result = await rpc.reserve(
      order,
      [
        { productId: plenty.id, quantity: 5 },
        { productId: scarce.id, quantity: 3 },
      ],
      TTL,
    );
    expect(result).toEqual({
      ok: false,
      code: "insufficient_stock",
      lines: [
        {
          productId: scarce.id,
          variantId: defaultVariantId(scarce.id),
          requested: 3,
          available: 2,
          reason: "insufficient_stock",
        },
      ],
    });
    expect(await stockOf(plenty.id)).toEqual({ onHand: 50, reserved: 0 });
    expect(await stockOf(scarce.id)).toEqual({ onHand: 2, reserved: 0 });
    expect(await reservationsOf(order)).toEqual([]);
  });

  it("reports unknown and archived products, and holds nothing", async () => {
    const ok = await createProduct({ stock: 5 });
    const archived = await createProduct({ stock: 5, status: "archived" });
    const ghost = "prd_01jd8x3v4k2m9q7r5t6w8y0zab";
    const result = await rpc.reserve(
      orderId(),
      [
        { productId: ok.id, quantity: 1 },
        { productId: archived.id, quantity: 1 },
        { productId: ghost, quantity: 1 },
      ],
      TTL,
    );
    expect(result).toEqual({
      ok: false,
      code: "insufficient_stock",
      lines: [
        {
          productId: archived.id,
          variantId: defaultVariantId(archived.id),
          requested: 1,
          available: 0,
          reason: "inactive",
        },
        { productId: ghost, variantId: defaultVariantId(ghost), requested: 1, available: 0, reason: "not_found" },
      ],
    });
    expect(await stockOf(ok.id)).toEqual({ onHand: 5, reserved: 0 });
  });

  it("a hold answers each line's current price, read in its own transaction; a replay does not", async () => {
    const p = await createProduct({ stock: 10, priceAmount: 1250, currency: "EUR" });
    const q = await createProduct({ stock: 10, priceAmount: 300, currency: "EUR" });
    const order = orderId();
    const lines = [
      { productId: p.id, quantity: 2 },
      { productId: q.id, quantity: 1 },
    ];
    const first = await rpc.reserve(order, lines, TTL);
    expect(first.ok && first.quotes).toMatchObject([
      { productId: p.id, found: true, active: true, sku: p.sku, unitPrice: { amount: 1250, currency: "EUR" } },
      { productId: q.id, found: true, active: true, unitPrice: { amount: 300, currency: "EUR" } },
    ]);
    const replay = await rpc.reserve(order, lines, TTL);
    expect(replay.ok && replay.quotes).toBeUndefined();
  });

  it("the same order reserved twice holds stock once and replays the first result", async () => {
    const p = await createProduct({ stock: 10 });
    const order = orderId();
    const first = await rpc.reserve(order, [{ productId: p.id, quantity: 3 }], TTL);
    const second = await rpc.reserve(order, [{ productId: p.id, quantity: 3 }], TTL);
    expect(first).toMatchObject({ ok: true, replayed: false, lines: [{ productId: p.id, quantity: 3 }] });
    expect(second).toMatchObject({ ok: true, replayed: true, lines: [{ productId: p.id, quantity: 3 }] });
    expect(second.ok && first.ok && second.expiresAt).toBe(first.ok && first.expiresAt);
    expect(await reservationsOf(order)).toHaveLength(1);
    expect(await stockOf(p.id)).toEqual({ onHand: 10, reserved: 3 });
  });

  it("concurrent reserves of one order id hold stock once", async () => {
    const p = await createProduct({ stock: 10 });
    const q = await createProduct({ stock: 10 });
    const order = orderId();
    const lines = [
      { productId: p.id, quantity: 2 },
      { productId: q.id, quantity: 1 },
    ];
    const results = await Promise.all(Array.from({ length: 10 }, () => rpc.reserve(order, lines, TTL)));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(results.filter((r) => r.ok && !r.replayed)).toHaveLength(1);
    expect(await stockOf(p.id)).toEqual({ onHand: 10, reserved: 2 });
    expect(await stockOf(q.id)).toEqual({ onHand: 10, reserved: 1 });
  });

  it("a repeated product in the lines is held as one line with the summed quantity", async () => {
    const p = await createProduct({ stock: 10 });
    const result = await rpc.reserve(
      orderId(),
      [
        { productId: p.id, quantity: 2 },
        { productId: p.id, quantity: 3 },
      ],
      TTL,
    );
    expect(result).toMatchObject({ ok: true, lines: [{ productId: p.id, quantity: 5 }] });
    expect(await stockOf(p.id)).toEqual({ onHand: 10, reserved: 5 });
  });

  it("refuses malformed calls (bad order id, quantity 0, empty lines)", async () => {
    const p = await createProduct({ stock: 10 });
    expect(await thrown(() => rpc.reserve("ord_nope", [{ productId: p.id, quantity: 1 }], TTL))).toMatch(/order id/);
    expect(await thrown(() => rpc.reserve(orderId(), [{ productId: p.id, quantity: 0 }], TTL))).toMatch(/>=1/);
    expect(await thrown(() => rpc.reserve(orderId(), [], TTL))).toMatch(/>=1/);
    expect(await stockOf(p.id)).toEqual({ onHand: 10, reserved: 0 });
  });
});

describe("commit and release", () => {
  it("commit turns the hold into a sale and is idempotent", async () => {
    const p = await createProduct({ stock: 10 });
    const order = orderId();
    await rpc.reserve(order, [{ productId: p.id, quantity: 4 }], TTL);
    expect(await rpc.commit(order)).toEqual({ ok: true, state: "committed" });
    expect(await rpc.commit(order)).toEqual({ ok: true, state: "committed" });
    expect(await stockOf(p.id)).toEqual({ onHand: 6, reserved: 0 });
    expect(await rpc.release(order)).toEqual({ ok: false, state: "committed" });
    expect(await stockOf(p.id)).toEqual({ onHand: 6, reserved: 0 });
  });

  it("release gives the stock back and is idempotent; a released hold cannot be committed", async () => {
    const p = await createProduct({ stock: 10 });
    const order = orderId();
    await rpc.reserve(order, [{ productId: p.id, quantity: 4 }], TTL);
    expect(await rpc.release(order)).toEqual({ ok: true, state: "released" });
    expect(await rpc.release(order)).toEqual({ ok: true, state: "released" });
    expect(await stockOf(p.id)).toEqual({ onHand: 10, reserved: 0 });
    expect(await rpc.commit(order)).toEqual({ ok: false, state: "released" });
    expect(await stockOf(p.id)).toEqual({ onHand: 10, reserved: 0 });
    expect(await thrown(() => rpc.reserve(order, [{ productId: p.id, quantity: 1 }], TTL))).toMatch(/released/);
  });

  it("unknown orders: commit says missing, release says ok missing", async () => {
    expect(await rpc.commit(orderId())).toEqual({ ok: false, state: "missing" });
    expect(await rpc.release(orderId())).toEqual({ ok: true, state: "missing" });
  });
});

describe("expiry", () => {
  it("the cron releases expired holds; committing them afterwards says expired", async () => {
    const p = await createProduct({ stock: 5 });
    const order = orderId();
    const held = await rpc.reserve(order, [{ productId: p.id, quantity: 5 }], 60);
    expect(held.ok).toBe(true);
    expect(await stockOf(p.id)).toEqual({ onHand: 5, reserved: 5 });

    await runCron(Date.now() + 30_000);
    expect(await stockOf(p.id)).toEqual({ onHand: 5, reserved: 5 });

    await runCron(Date.now() + 61_000);
    expect(await stockOf(p.id)).toEqual({ onHand: 5, reserved: 0 });
    expect((await reservationsOf(order))[0]?.state).toBe("expired");
    expect(await rpc.commit(order)).toEqual({ ok: false, state: "expired" });
    expect(await rpc.release(order)).toEqual({ ok: true, state: "expired" });
    expect(await stockOf(p.id)).toEqual({ onHand: 5, reserved: 0 });
  });

  it("a hold past its expiry is not committed even before the sweeper ran", async () => {
    const p = await createProduct({ stock: 5 });
    const order = orderId();
    await rpc.reserve(order, [{ productId: p.id, quantity: 2 }], 60);
    await env.DB.prepare("UPDATE reservations SET expires_at = ?1 WHERE order_id = ?2")
      .bind(Date.now() - 1, order)
      .run();
    expect(await rpc.commit(order)).toEqual({ ok: false, state: "expired" });
    expect(await stockOf(p.id)).toEqual({ onHand: 5, reserved: 0 });
  });

  it("sweeps more holds than one batch in a single run", async () => {
    const p = await createProduct({ stock: 250 });
    const orders = Array.from({ length: 230 }, () => orderId());
    for (const o of orders) await rpc.reserve(o, [{ productId: p.id, quantity: 1 }], 60);
    expect(await stockOf(p.id)).toEqual({ onHand: 250, reserved: 230 });
    await runCron(Date.now() + 120_000);
    expect(await stockOf(p.id)).toEqual({ onHand: 250, reserved: 0 });
  });
});

describe("units are conserved", () => {
  it("initial stock = on hand + sold after a mix of commits, releases and expiries", async () => {
    const p = await createProduct({ stock: 40 });
    const outcomes = ["commit", "release", "expire", "commit", "commit", "release", "expire", "commit"] as const;
    let sold = 0;
    const orders = [];
    for (const [i, outcome] of outcomes.entries()) {
      const order = orderId();
      const quantity = i + 1;
      const r = await rpc.reserve(order, [{ productId: p.id, quantity }], outcome === "expire" ? 60 : TTL);
      expect(r.ok).toBe(true);
      orders.push({ order, outcome, quantity });
    }
    await Promise.all(
      orders.map(async ({ order, outcome, quantity }) => {
        if (outcome === "commit") {
          expect(await rpc.commit(order)).toEqual({ ok: true, state: "committed" });
          sold += quantity;
        } else if (outcome === "release") {
          expect(await rpc.release(order)).toEqual({ ok: true, state: "released" });
        }
      }),
    );
    await runCron(Date.now() + 120_000);
    const { onHand, reserved } = await stockOf(p.id);
    expect(reserved).toBe(0);
    expect(onHand + sold).toBe(40);
    const active = await env.DB.prepare(
      "SELECT COUNT(*) AS n FROM reservations WHERE product_id = ?1 AND state = 'active'",
    )
      .bind(p.id)
      .first<{ n: number }>();
    expect(active?.n).toBe(0);
  });
});

describe("quote", () => {
  it("returns current prices and availability in the caller's order, unknown lines flagged", async () => {
    const p = await createProduct({ stock: 7, priceAmount: 2599, currency: "EUR" });
    const archived = await createProduct({ stock: 3, status: "archived" });
    await rpc.reserve(orderId(), [{ productId: p.id, quantity: 2 }], TTL);
    const ghost = "prd_01jd8x3v4k2m9q7r5t6w8y0zab";
    const quoted = await rpc.quote([
      { productId: ghost, quantity: 1 },
      { productId: p.id, quantity: 1 },
      { productId: archived.id, quantity: 1 },
    ]);
    expect(quoted[0]).toMatchObject({ productId: ghost, found: false, unitPrice: null });
    expect(quoted[1]).toMatchObject({
      productId: p.id,
      found: true,
      active: true,
      sku: p.sku,
      unitPrice: { amount: 2599, currency: "EUR" },
      available: 5,
    });
    expect(quoted[2]).toMatchObject({ productId: archived.id, found: true, active: false, available: 0 });
  });

  it("carries each line's weight, tax class and category (the reserve's quotes too)", async () => {
    const p = await createProduct({ stock: 5 });
    const light = await createProduct({ stock: 5 });
    await env.DB.batch([
      env.DB.prepare("UPDATE products SET tax_class = 'reduced' WHERE id = ?1").bind(p.id),
      env.DB.prepare("UPDATE product_variants SET weight_grams = 180 WHERE id = ?1").bind(defaultVariantId(p.id)),
    ]);
    const lines = [
      { productId: p.id, quantity: 1 },
      { productId: light.id, quantity: 1 },
    ];
    const quoted = await rpc.quote(lines);
    expect(quoted[0]).toMatchObject({ weightGrams: 180, taxClass: "reduced", categoryId: p.categoryId });
    // No weight set: none is quoted (the checkout's default applies), the tax class is standard.
    expect(quoted[1]).toMatchObject({ taxClass: "standard", categoryId: light.categoryId });
    expect(quoted[1]).not.toHaveProperty("weightGrams");
    const held = await rpc.reserve(orderId(), lines, TTL);
    expect(held.ok && held.quotes?.[0]).toMatchObject({
      weightGrams: 180,
      taxClass: "reduced",
      categoryId: p.categoryId,
    });
  });
});
