import { createScheduledController, env } from "cloudflare:test";
import { defaultVariantId, InsufficientStockProblem, type Order } from "@shop/contracts";
import { newId, requestFingerprint } from "@shop/runtime";
import { describe, expect, it } from "vitest";
import { ADDRESS, call, createProduct, orderBody, placeOrder, problem, setStock, shopper, stockOf } from "../helpers";

async function fillCart(token: string, productId: string, quantity: number) {
  const res = await call("POST", "/cart/items", { token, body: { productId, quantity } });
  expect(res.status).toBe(200);
}

describe("POST /orders idempotency", () => {
  it("50 concurrent requests with one key create one order and one payment", async () => {
    const me = await shopper();
    const productId = await createProduct({ stock: 100 });
    await fillCart(me.token, productId, 2);
    const key = `burst-${crypto.randomUUID()}`;
    const responses = await Promise.all(Array.from({ length: 50 }, () => placeOrder(me, key)));
    const statuses = responses.map((r) => r.status);
    expect(statuses.every((s) => s === 201 || s === 409)).toBe(true);
    expect(statuses).toContain(201);
    const bodies = await Promise.all(responses.map((r) => r.json() as Promise<Order & { code?: string }>));
    const conflicts = bodies.filter((_, i) => statuses[i] === 409);
    expect(conflicts.every((b) => b.code === "idempotency_in_flight")).toBe(true);
    const orderIds = new Set(bodies.filter((_, i) => statuses[i] === 201).map((b) => b.id));
    expect(orderIds.size).toBe(1);
    const [orderId] = [...orderIds];

    const payments = await env.TEST_PAYMENTS_DB.prepare("SELECT count(*) AS n FROM payments WHERE user_id = ?1")
      .bind(me.userId)
      .first<{ n: number }>();
    expect(payments?.n).toBe(1);
    const reservations = await env.TEST_PRODUCTS_DB.prepare(
      "SELECT count(DISTINCT order_id) AS n FROM reservations WHERE product_id = ?1",
    )
      .bind(productId)
      .first<{ n: number }>();
    expect(reservations?.n).toBe(1);

    // After the burst, a retry replays the first response.
    const replay = await placeOrder(me, key);
    expect(replay.status).toBe(201);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(((await replay.json()) as Order).id).toBe(orderId);
    // Two units left the shelf once: reserved (awaiting payment) or committed (paid), never twice.
    const stock = await stockOf(productId);
    expect(stock.onHand - stock.reserved).toBe(98);
  });

  it("the same key with another body is a 422 and creates nothing", async () => {
    const me = await shopper();
    const productId = await createProduct();
    await fillCart(me.token, productId, 1);
    const key = `reuse-${crypto.randomUUID()}`;
    expect((await placeOrder(me, key)).status).toBe(201);
    const other = await placeOrder(me, key, orderBody("pm_card_mastercard"));
    expect(other.status).toBe(422);
    expect((await problem(other)).code).toBe("idempotency_key_reused");
  });

  it("keys are per user: another user's identical key is a separate order", async () => {
    const a = await shopper();
    const b = await shopper();
    const productId = await createProduct();
    await fillCart(a.token, productId, 1);
    await fillCart(b.token, productId, 1);
    const key = `shared-${crypto.randomUUID()}`;
    const ra = (await (await placeOrder(a, key)).json()) as Order;
    const rb = (await (await placeOrder(b, key)).json()) as Order;
    expect(ra.id).not.toBe(rb.id);
    expect(rb.userId).toBe(b.userId);
  });

  it.each([
    ["missing", undefined],
    ["too short", "short"],
    ["not printable", "key with spaces"],
  ])("refuses a %s Idempotency-Key with 400", async (_what, key) => {
    const me = await shopper();
    const res = await call("POST", "/orders", {
      token: me.token,
      body: orderBody(),
      headers: key === undefined ? {} : { "idempotency-key": key },
    });
    expect(res.status).toBe(400);
    expect((await problem(res)).errors?.map((e) => e.path)).toContain("idempotency-key");
  });
});

describe("POST /orders input", () => {
  it.each([
    ["total", { total: { amount: 1, currency: "USD" } }],
    ["status", { status: "paid" }],
    ["userId", { userId: "usr_01jd8x3v4k2m9q7r5t6w8y0zab" }],
    ["lines", { lines: [{ productId: "prd_01jd8x3v4k2m9q7r5t6w8y0zab", quantity: 1, unitPrice: 1 }] }],
  ])("refuses a body that sets %s", async (field, extra) => {
    const me = await shopper();
    const res = await placeOrder(me, `strict-${crypto.randomUUID()}`, { ...orderBody(), ...extra });
    expect(res.status).toBe(400);
    expect((await problem(res)).errors?.map((e) => e.path)).toContain(field);
  });

  it("refuses a missing address and a bad country with 400 naming the field", async () => {
    const me = await shopper();
    const noAddress = await placeOrder(me, `addr-${crypto.randomUUID()}`, { paymentMethod: "pm_card_visa" });
    expect(noAddress.status).toBe(400);
    expect((await problem(noAddress)).errors?.map((e) => e.path)).toContain("shippingAddress");
    const badCountry = await placeOrder(me, `addr-${crypto.randomUUID()}`, {
      shippingAddress: { ...ADDRESS, country: "Germany" },
      paymentMethod: "pm_card_visa",
    });
    expect(badCountry.status).toBe(400);
    expect((await problem(badCountry)).errors?.map((e) => e.path)).toContain("shippingAddress.country");
  });

  it("refuses an empty cart with 422", async () => {
    const me = await shopper();
    const res = await placeOrder(me, `empty-${crypto.randomUUID()}`);
    expect(res.status).toBe(422);
    expect((await problem(res)).errors?.[0]?.path).toBe("cart");
  });

  it("answers 409 naming the lines without stock; the order is rejected and the cart kept", async () => {
    const me = await shopper();
    const scarce = await createProduct({ stock: 5 });
    const plenty = await createProduct({ stock: 5 });
    await fillCart(me.token, scarce, 4);
    await fillCart(me.token, plenty, 1);
    await setStock(scarce, 2);
    const key = `short-${crypto.randomUUID()}`;
    const res = await placeOrder(me, key);
    expect(res.status).toBe(409);
    const body = await problem(res);
    expect(body.code).toBe("insufficient_stock");
    expect(body.errors).toEqual([
      { path: `lines.${scarce}`, message: expect.stringContaining("4 requested, 2 available") },
    ]);
    // The same lines, structured: a client never has to parse the message.
    const short = [
      {
        productId: scarce,
        variantId: defaultVariantId(scarce),
        requested: 4,
        available: 2,
        reason: "insufficient_stock",
      },
    ];
    expect((body as { lines?: unknown }).lines).toEqual(short);
    expect(InsufficientStockProblem.safeParse(body).success).toBe(true);
    expect(await stockOf(plenty)).toEqual({ onHand: 5, reserved: 0 });

    const replay = await placeOrder(me, key);
    expect(replay.status).toBe(409);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(((await problem(replay)) as { lines?: unknown }).lines).toEqual(short);

    const cart = (await (await call("GET", "/cart", { token: me.token })).json()) as { lines: unknown[] };
    expect(cart.lines).toHaveLength(2);
    const history = (await (await call("GET", "/orders?status=rejected", { token: me.token })).json()) as {
      items: { status: string }[];
    };
    expect(history.items.map((o) => o.status)).toEqual(["rejected"]);
  });

  it("answers 422 naming a product no longer sold; nothing stays held", async () => {
    const me = await shopper();
    const gone = await createProduct({ stock: 5 });
    const kept = await createProduct({ stock: 5 });
    await fillCart(me.token, gone, 1);
    await fillCart(me.token, kept, 2);
    await env.TEST_PRODUCTS_DB.prepare("UPDATE products SET status = 'archived' WHERE id = ?1").bind(gone).run();
    const res = await placeOrder(me, `gone-${crypto.randomUUID()}`);
    expect(res.status).toBe(422);
    const body = await problem(res);
    expect(body.code).toBe("unprocessable");
    expect(body.errors).toEqual([{ path: `lines.${gone}`, message: `${gone} is no longer sold` }]);
    expect(await stockOf(kept)).toEqual({ onHand: 5, reserved: 0 });
  });

  it("answers 422 for a cart mixing currencies and gives back what the reserve held", async () => {
    const me = await shopper();
    const usd = await createProduct({ stock: 5, currency: "USD" });
    const eur = await createProduct({ stock: 5, currency: "USD" });
    await fillCart(me.token, usd, 1);
    await fillCart(me.token, eur, 1);
    // The cart refuses a second currency; a price change after it was filled brings one in.
    await env.TEST_PRODUCTS_DB.prepare("UPDATE products SET currency = 'EUR' WHERE id = ?1").bind(eur).run();
    const res = await placeOrder(me, `mixed-${crypto.randomUUID()}`);
    expect(res.status).toBe(422);
    expect((await problem(res)).detail).toBe("The cart mixes currencies.");
    expect(await stockOf(usd)).toEqual({ onHand: 5, reserved: 0 });
    expect(await stockOf(eur)).toEqual({ onHand: 5, reserved: 0 });
  });

  it("needs a token (401)", async () => {
    const res = await call("POST", "/orders", { body: orderBody(), headers: { "idempotency-key": "abcdefgh-1" } });
    expect(res.status).toBe(401);
    expect((await problem(res)).code).toBe("unauthorized");
  });
});

describe("idempotency keys expire after 24 h", () => {
  it("a key older than 24 h starts a new order; the hourly cleanup forgets old keys", async () => {
    const me = await shopper();
    const productId = await createProduct();
    await fillCart(me.token, productId, 1);
    const key = `old-${crypto.randomUUID()}`;
    const first = (await (await placeOrder(me, key)).json()) as Order;
    await env.DB.prepare("UPDATE idempotency_records SET created_at = created_at - 25 * 3600 * 1000 WHERE key = ?1")
      .bind(key)
      .run();
    await fillCart(me.token, productId, 1);
    const second = await placeOrder(me, key);
    expect(second.status).toBe(201);
    expect(((await second.json()) as Order).id).not.toBe(first.id);

    await env.DB.prepare("UPDATE idempotency_records SET created_at = 0 WHERE key = ?1").bind(key).run();
    const { default: worker } = await import("../../src/index");
    await worker.scheduled(createScheduledController(), env as never);
    const left = await env.DB.prepare("SELECT count(*) AS n FROM idempotency_records WHERE key = ?1")
      .bind(key)
      .first<{ n: number }>();
    expect(left?.n).toBe(0);
  });
});

describe("idempotency keys across the deploy of migration 0004 (expand: both tables kept in step)", () => {
  it("a key the previous release claimed in idempotency_keys is honoured: its order id, other body → 422", async () => {
    const me = await shopper();
    const productId = await createProduct();
    await fillCart(me.token, productId, 1);
    const key = `skew-${crypto.randomUUID()}`;
    const orderId = newId("order");
    await env.DB.prepare(
      "INSERT INTO idempotency_keys (user_id, idem_key, fingerprint, order_id, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
    )
      .bind(me.userId, key, await requestFingerprint(orderBody()), orderId, Date.now())
      .run();
    const placed = await placeOrder(me, key);
    expect(placed.status).toBe(201);
    expect(((await placed.json()) as Order).id).toBe(orderId);
    const other = await placeOrder(me, key, orderBody("pm_card_mastercard"));
    expect(other.status).toBe(422);
    expect((await problem(other)).code).toBe("idempotency_key_reused");
  });

  it("a key this release claims is in idempotency_keys for the previous release, and expires from both", async () => {
    const me = await shopper();
    const productId = await createProduct();
    await fillCart(me.token, productId, 1);
    const key = `both-${crypto.randomUUID()}`;
    const order = (await (await placeOrder(me, key)).json()) as Order;
    const old = () =>
      env.DB.prepare("SELECT order_id FROM idempotency_keys WHERE user_id = ?1 AND idem_key = ?2")
        .bind(me.userId, key)
        .first<{ order_id: string }>();
    expect((await old())?.order_id).toBe(order.id);

    await env.DB.prepare("DELETE FROM idempotency_records WHERE key = ?1").bind(key).run();
    expect(await old()).toBeNull();
  });
});
