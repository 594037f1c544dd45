import { env, runInDurableObject } from "cloudflare:test";
import { defaultVariantId } from "@shop/contracts";
import { newId, newSecret } from "@shop/runtime";
import { describe, expect, it } from "vitest";
import { cartStub } from "../../src/services/carts/cart-key";
import { ORDER_NUMBER_BASE, ORDER_NUMBER_SHARDS } from "../../src/services/order-numbers/allocate";
import { createProduct, notificationsFor, untilNotified } from "../helpers";

/**
 * ADR 0020: objects written by the code before drizzle managed their schemas (tables from
 * hand-written CREATE TABLE strings, no `__drizzle_migrations`) count as being at migration
 * 0000 and keep their data. Each test writes such an object through raw SQL, restarts it so
 * the class's constructor meets it as deployed code would, then uses it through the new code.
 */

/** The schemas as the previous code created them, verbatim. */
const LEGACY_CART = `CREATE TABLE IF NOT EXISTS lines (product_id TEXT PRIMARY KEY, quantity INTEGER NOT NULL CHECK (quantity BETWEEN 1 AND 99), added_at INTEGER NOT NULL);
  CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS merged_carts (cart_id TEXT PRIMARY KEY, merged_at INTEGER NOT NULL);
  CREATE TABLE IF NOT EXISTS applied_orders (order_id TEXT PRIMARY KEY, applied_at INTEGER NOT NULL);`;

/** An order from before numbers, 3-D Secure and return URLs (the columns `migrate()` used to add). */
const LEGACY_ORDER = `
CREATE TABLE IF NOT EXISTS order_state (
  id TEXT PRIMARY KEY, user_id TEXT NOT NULL, status TEXT NOT NULL, currency TEXT, total INTEGER,
  shipping_address TEXT NOT NULL, payment_method TEXT NOT NULL, payment_id TEXT, payment_status TEXT,
  amount_refunded INTEGER NOT NULL DEFAULT 0, failure_message TEXT, reserved INTEGER NOT NULL DEFAULT 0,
  refund_requested INTEGER NOT NULL DEFAULT 0, carrier TEXT, tracking_number TEXT, shipped_at TEXT,
  deadline_at INTEGER NOT NULL, reason TEXT, traceparent TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
  version INTEGER NOT NULL, creation_status INTEGER, creation_body TEXT);
CREATE TABLE IF NOT EXISTS order_lines (product_id TEXT PRIMARY KEY, position INTEGER NOT NULL,
  quantity INTEGER NOT NULL CHECK (quantity BETWEEN 1 AND 99), sku TEXT, name TEXT, unit_amount INTEGER, currency TEXT);
CREATE TABLE IF NOT EXISTS timeline (seq INTEGER PRIMARY KEY, type TEXT NOT NULL, status TEXT NOT NULL,
  at TEXT NOT NULL, detail TEXT);
CREATE TABLE IF NOT EXISTS processed_events (event_id TEXT PRIMARY KEY, processed_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS tasks (name TEXT PRIMARY KEY, attempts INTEGER NOT NULL DEFAULT 0,
  next_at INTEGER NOT NULL, last_error TEXT);
CREATE TABLE IF NOT EXISTS outbox (id TEXT PRIMARY KEY, kind TEXT NOT NULL, payload TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0, next_at INTEGER NOT NULL);`;

const LEGACY_ALLOCATOR =
  "CREATE TABLE IF NOT EXISTS allocator (id INTEGER PRIMARY KEY CHECK (id = 1), shard INTEGER NOT NULL, seq INTEGER NOT NULL)";

const tables = (sql: SqlStorage) =>
  sql
    .exec<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_%' ESCAPE '\\'")
    .toArray()
    .map((t) => t.name)
    .sort();

/**
 * Replaces the object's storage with `legacy` (as the previous code left it) and restarts it:
 * the stub it returns meets a new instance whose constructor sees the legacy tables.
 */
async function asWrittenByOldCode<S extends DurableObjectStub>(
  stub: () => S,
  legacy: (sql: SqlStorage) => void,
): Promise<S> {
  const old = stub();
  await runInDurableObject(old, async (_instance, state) => {
    await state.storage.deleteAll();
    legacy(state.storage.sql);
  });
  await expect(runInDurableObject(old, (_instance, state) => state.abort("restart"))).rejects.toThrow();
  return stub();
}

const migrationsRun = (stub: DurableObjectStub) =>
  runInDurableObject(
    stub,
    (_instance, state) =>
      state.storage.sql.exec<{ n: number }>("SELECT count(*) AS n FROM __drizzle_migrations").one().n,
  );

describe("Durable Object schemas written before drizzle migrations", () => {
  it("a user's cart keeps its lines and merge records, and takes writes", async () => {
    const userId = newId("user");
    const [kept, added] = [await createProduct({ stock: 10 }), await createProduct({ stock: 10 })];
    const mergedCart = newId("cart");
    const cart = await asWrittenByOldCode(
      () => cartStub(env, { kind: "user", userId }),
      (sql) => {
        sql.exec(LEGACY_CART);
        sql.exec("INSERT INTO lines (product_id, quantity, added_at) VALUES (?, 3, 1)", kept);
        sql.exec("INSERT INTO merged_carts (cart_id, merged_at) VALUES (?, 1)", mergedCart);
      },
    );

    const me = { kind: "user" as const, userId };
    // Migration 0001 (ADR 0029): the product's line became its default variant's.
    const keptVariant = defaultVariantId(kept);
    expect(await cart.read(me)).toEqual({
      exists: true,
      lines: [{ productId: kept, variantId: keptVariant, quantity: 3 }],
      mergedInto: null,
      // A cart from before markets remembers none: it reads as the default market (ADR 0032).
      market: null,
    });
    expect(await cart.add({ productId: added, variantId: defaultVariantId(added), quantity: 2 }, me)).toMatchObject({
      ok: true,
      state: {
        lines: [
          { productId: kept, variantId: keptVariant, quantity: 3 },
          { productId: added, variantId: defaultVariantId(added), quantity: 2 },
        ],
      },
    });
    // The old merge record still makes a replayed merge a no-op.
    expect(await cart.absorb(mergedCart, [{ productId: kept, variantId: keptVariant, quantity: 5 }])).toEqual({
      merged: false,
    });
    expect(await migrationsRun(cart)).toBeGreaterThanOrEqual(1);
  });

  it("a guest cart keeps its secret", async () => {
    const productId = await createProduct({ stock: 10 });
    const key = { kind: "guest" as const, cartId: newId("cart"), secret: newSecret() };
    const hash = Array.from(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(key.secret))))
      .map((b) => b.toString(16).padStart(2, "0"))
      .join("");
    const cart = await asWrittenByOldCode(
      () => cartStub(env, key),
      (sql) => {
        sql.exec(LEGACY_CART);
        sql.exec("INSERT INTO meta (key, value) VALUES ('secret_hash', ?)", hash);
        sql.exec("INSERT INTO lines (product_id, quantity, added_at) VALUES (?, 1, 1)", productId);
      },
    );

    expect(await cart.read({ kind: "guest", secret: newSecret() })).toMatchObject({ exists: false });
    // The old line is the default variant's now: adding to that variant adds to it.
    const variantId = defaultVariantId(productId);
    expect(await cart.add({ productId, variantId, quantity: 4 }, { kind: "guest", secret: key.secret })).toMatchObject({
      ok: true,
      state: { lines: [{ productId, variantId, quantity: 5 }] },
    });
  });

  it("an order from before numbers gets the columns added since, with its data intact", async () => {
    const orderId = newId("order");
    const userId = newId("user");
    const stub = await asWrittenByOldCode(
      () => env.ORDER.get(env.ORDER.idFromName(orderId)),
      (sql) => {
        sql.exec(LEGACY_ORDER);
        sql.exec(
          `INSERT INTO order_state (id, user_id, status, currency, total, shipping_address, payment_method, deadline_at,
           created_at, updated_at, version, creation_status, creation_body)
         VALUES (?, ?, 'delivered', 'EUR', 1200, ?, 'pm_card_visa', 0, '2026-01-01T00:00:00.000Z', '2026-01-02T00:00:00.000Z', 4, 201, '{"body":{}}')`,
          orderId,
          userId,
          JSON.stringify({ name: "A", line1: "B", city: "C", postalCode: "1", country: "DE" }),
        );
        sql.exec(
          "INSERT INTO order_lines (product_id, position, quantity, sku, name, unit_amount, currency) VALUES ('prd_1', 0, 2, 'S', 'Mug', 600, 'EUR')",
        );
        sql.exec(
          "INSERT INTO timeline (type, status, at) VALUES ('order.created', 'pending', '2026-01-01T00:00:00.000Z')",
        );
      },
    );

    const admin = { userId: newId("user"), role: "admin" as const, email: "admin@example.com" };
    expect(await stub.viewFor(admin)).toMatchObject({
      id: orderId,
      number: null,
      status: "delivered",
      total: { amount: 1200, currency: "EUR" },
      lines: [
        {
          productId: "prd_1",
          // Migration 0003 (ADR 0029): the line is its product's default variant.
          variantId: "var_1",
          sku: "S",
          variantLabel: "",
          quantity: 2,
          lineTotal: { amount: 1200, currency: "EUR" },
        },
      ],
      timeline: [{ type: "order.created" }],
    });
    const columns = await runInDurableObject(stub, (_instance, state) => {
      state.storage.sql.exec("UPDATE order_state SET number = 4242, return_url = 'https://shop.example/o'");
      return state.storage.sql
        .exec<{ name: string }>("PRAGMA table_info(order_state)")
        .toArray()
        .map((c) => c.name);
    });
    expect(columns).toEqual(expect.arrayContaining(["number", "next_action_url", "return_url"]));
    expect(await stub.viewFor(admin)).toMatchObject({ id: orderId, number: 4242 });
    expect(await migrationsRun(stub)).toBeGreaterThanOrEqual(1);
  });

  it("an order's stored first answer becomes how placing ended, and retries are answered from it", async () => {
    const userId = newId("user");
    const address = JSON.stringify({ name: "A", line1: "B", city: "C", postalCode: "1", country: "DE" });
    const legacyOrder = (orderId: string, status: string, creationStatus: number, creationBody: unknown) =>
      asWrittenByOldCode(
        () => env.ORDER.get(env.ORDER.idFromName(orderId)),
        (sql) => {
          sql.exec(LEGACY_ORDER);
          sql.exec(
            `INSERT INTO order_state (id, user_id, status, shipping_address, payment_method, deadline_at, created_at,
               updated_at, version, creation_status, creation_body)
             VALUES (?, ?, ?, ?, 'pm_card_visa', 0, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', 2, ?, ?)`,
            orderId,
            userId,
            status,
            address,
            creationStatus,
            JSON.stringify(creationBody),
          );
          sql.exec("INSERT INTO order_lines (product_id, position, quantity) VALUES ('prd_1', 0, 3)");
        },
      );
    const retry = (orderId: string) => ({
      orderId,
      userId,
      lines: [{ productId: "prd_1", quantity: 3 }],
      shippingAddress: JSON.parse(address),
      paymentMethod: "pm_card_visa",
    });

    const shortId = newId("order");
    const short = await legacyOrder(shortId, "rejected", 409, {
      contentType: "application/problem+json",
      body: {
        lines: [{ productId: "prd_1", requested: 3, available: 1, reason: "insufficient_stock" }],
        type: "https://shop.example/problems/insufficient_stock",
        title: "Insufficient stock",
        status: 409,
        code: "insufficient_stock",
        detail: "Not enough stock for some lines of the cart.",
        errors: [{ path: "lines.prd_1", message: "3 requested, 1 available" }],
      },
    });
    expect(await short.place(retry(shortId))).toEqual({
      kind: "done",
      replayed: true,
      creation: {
        kind: "refused",
        code: "insufficient_stock",
        detail: "Not enough stock for some lines of the cart.",
        errors: [{ path: "lines.prd_1", message: "3 requested, 1 available" }],
        lines: [{ productId: "prd_1", requested: 3, available: 1, reason: "insufficient_stock" }],
      },
    });

    // A release rolled back after the migration still writes only the HTTP answer (the old
    // columns stay until a later migration): the new code reads that too.
    await runInDurableObject(short, (_instance, state) => {
      state.storage.sql.exec("UPDATE order_state SET creation = NULL");
    });
    expect(await short.place(retry(shortId))).toMatchObject({
      kind: "done",
      creation: { kind: "refused", code: "insufficient_stock", lines: [{ productId: "prd_1", available: 1 }] },
    });

    const placedId = newId("order");
    const placed = await legacyOrder(placedId, "paid", 201, { body: { id: placedId, status: "paid" } });
    expect(await placed.place(retry(placedId))).toEqual({
      kind: "done",
      replayed: true,
      creation: { kind: "placed", order: { id: placedId, status: "paid" } },
    });
    const columns = await runInDurableObject(placed, (_instance, state) =>
      state.storage.sql
        .exec<{ name: string }>("PRAGMA table_info(order_state)")
        .toArray()
        .map((c) => c.name),
    );
    expect(columns).toContain("creation");
  });

  it("a notification the previous code left in the order's outbox is still delivered", async () => {
    const orderId = newId("order");
    const userId = newId("user");
    const message = (type: string) => ({
      id: newId("message"),
      type,
      userId,
      occurredAt: "2026-01-02T00:00:00.000Z",
      data: { orderId },
    });
    const pending = message("order.shipped");
    const stub = await asWrittenByOldCode(
      () => env.ORDER.get(env.ORDER.idFromName(orderId)),
      (sql) => {
        sql.exec(LEGACY_ORDER);
        sql.exec(
          `INSERT INTO order_state (id, user_id, status, currency, total, shipping_address, payment_method, deadline_at,
           created_at, updated_at, version)
         VALUES (?, ?, 'shipped', 'EUR', 1200, ?, 'pm_card_visa', 0, '2026-01-01T00:00:00.000Z', '2026-01-02T00:00:00.000Z', 3)`,
          orderId,
          userId,
          JSON.stringify({ name: "A", line1: "B", city: "C", postalCode: "1", country: "DE" }),
        );
        // Refused twice already, due again now.
        sql.exec(
          "INSERT INTO outbox (id, kind, payload, attempts, next_at) VALUES (?, 'notification', ?, 2, ?)",
          pending.id,
          JSON.stringify(pending),
          Date.now(),
        );
      },
    );

    // The migration moved the row with its attempts; nothing is left in the old table.
    const moved = await runInDurableObject(stub, (_instance, state) => ({
      outbox: state.storage.sql.exec("SELECT id FROM outbox WHERE kind = 'notification'").toArray(),
      rows: state.storage.sql.exec("SELECT id, attempts FROM notification_outbox").toArray(),
    }));
    expect(moved.outbox).toEqual([]);
    expect(moved.rows).toEqual(expect.arrayContaining([{ id: pending.id, attempts: 2 }]));

    await stub.resume();
    const sent = await untilNotified(userId, "order.shipped");
    expect(sent).toEqual([expect.objectContaining({ id: pending.id, type: "order.shipped", data: { orderId } })]);

    // A release rolled back past the migration writes into the old table again: sent too.
    const late = message("order.delivered");
    await runInDurableObject(stub, (_instance, state) => {
      state.storage.sql.exec(
        "INSERT INTO outbox (id, kind, payload, next_at) VALUES (?, 'notification', ?, ?)",
        late.id,
        JSON.stringify(late),
        Date.now(),
      );
    });
    await stub.resume();
    await untilNotified(userId, "order.delivered");
    expect((await notificationsFor(userId)).map((m) => m.id).sort()).toEqual([pending.id, late.id].sort());
    const left = await runInDurableObject(stub, (_instance, state) => ({
      outbox: state.storage.sql.exec("SELECT id FROM outbox WHERE kind = 'notification'").toArray(),
      rows: state.storage.sql.exec("SELECT id FROM notification_outbox").toArray(),
    }));
    expect(left).toEqual({ outbox: [], rows: [] });
  });

  it("an order-number shard keeps counting where it was", async () => {
    const name = `schema-test-${newId("order")}`;
    const stub = await asWrittenByOldCode(
      () => env.ORDER_NUMBERS.get(env.ORDER_NUMBERS.idFromName(name)),
      (sql) => {
        sql.exec(LEGACY_ALLOCATOR);
        sql.exec("INSERT INTO allocator (id, shard, seq) VALUES (1, 3, 41)");
      },
    );
    expect(await stub.next(3)).toBe(ORDER_NUMBER_BASE + 41 * ORDER_NUMBER_SHARDS + 3);
    expect(await migrationsRun(stub)).toBe(1);
  });

  it("reading a cart or an order nobody wrote creates no storage", async () => {
    const cart = cartStub(env, { kind: "user", userId: newId("user") });
    expect(await cart.read({ kind: "user", userId: "someone-else" })).toMatchObject({ exists: false });
    const guest = cartStub(env, { kind: "guest", cartId: newId("cart"), secret: newSecret() });
    expect(await guest.clear({ kind: "guest", secret: newSecret() })).toMatchObject({ ok: false, code: "missing" });
    const order = env.ORDER.get(env.ORDER.idFromName(newId("order")));
    expect(await order.viewFor({ userId: newId("user"), role: "admin", email: "admin@example.com" })).toBeNull();
    for (const stub of [cart, guest, order]) {
      expect(await runInDurableObject(stub, (_instance, state) => tables(state.storage.sql))).toEqual([]);
    }
  });
});
