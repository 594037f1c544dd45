import { applyD1Migrations, env } from "cloudflare:test";
import { exports } from "cloudflare:workers";
import { defaultVariantId } from "@shop/contracts";
import { describe, expect, it } from "vitest";
import { createCategory } from "./fixtures";

const db = env.MIGRATION_DB;
/** The migrations before variants (0000–0003): the schema the last release runs on. */
const before = env.TEST_MIGRATIONS.filter((m) => Number.parseInt(m.name, 10) < 4);

const P1 = "prd_01jdmgr0000000000000000001";
const P2 = "prd_01jdmgr0000000000000000002";
const CAT = "cat_01jdmgr0000000000000000001";
const NOW = Date.UTC(2026, 10, 1);

describe("0004 product variants, on a database at the old schema", () => {
  it("gives every product a default variant holding its stock, and moves live holds onto it", async () => {
    await applyD1Migrations(db, before);
    const product = (id: string, sku: string, price: number) =>
      db
        .prepare(
          `INSERT INTO products (id, sku, name, description, category_id, price_amount, currency, status, created_at, updated_at)
           VALUES (?1, ?2, ?2, '', ?3, ?4, 'USD', 'active', ?5, ?5)`,
        )
        .bind(id, sku, CAT, price, NOW);
    const hold = (order: string, productId: string, quantity: number, state: string) =>
      db
        .prepare(
          `INSERT INTO reservations (hold_id, order_id, product_id, quantity, expires_at, state, created_at, updated_at)
           VALUES (?1, ?1, ?2, ?3, ?4, ?5, ?4, ?4)`,
        )
        .bind(order, productId, quantity, NOW + 600_000, state);
    await db.batch([
      db.prepare("INSERT INTO categories (id, slug, name, created_at) VALUES (?1, 'old', 'Old', ?2)").bind(CAT, NOW),
      product(P1, "OLD-1", 1500),
      product(P2, "OLD-2", 900),
      db
        .prepare("INSERT INTO inventory (product_id, on_hand, reserved, updated_at) VALUES (?1, 12, 5, ?2)")
        .bind(P1, NOW),
      db
        .prepare("INSERT INTO inventory (product_id, on_hand, reserved, updated_at) VALUES (?1, 3, 0, ?2)")
        .bind(P2, NOW),
      hold("ord_01jdmgr0000000000000000001", P1, 2, "active"),
      hold("ord_01jdmgr0000000000000000002", P1, 3, "active"),
      hold("ord_01jdmgr0000000000000000003", P2, 1, "committed"),
    ]);

    await applyD1Migrations(db, env.TEST_MIGRATIONS);

    const variants = await db
      .prepare(
        "SELECT id, product_id, sku, options, option_key, price_amount, status FROM product_variants ORDER BY id",
      )
      .all();
    expect(variants.results).toEqual([
      {
        id: defaultVariantId(P1),
        product_id: P1,
        sku: "OLD-1",
        options: "{}",
        option_key: "",
        price_amount: 1500,
        status: "active",
      },
      {
        id: defaultVariantId(P2),
        product_id: P2,
        sku: "OLD-2",
        options: "{}",
        option_key: "",
        price_amount: 900,
        status: "active",
      },
    ]);
    const stock = await db
      .prepare("SELECT variant_id, product_id, on_hand, reserved FROM inventory ORDER BY variant_id")
      .all();
    expect(stock.results).toEqual([
      { variant_id: defaultVariantId(P1), product_id: P1, on_hand: 12, reserved: 5 },
      { variant_id: defaultVariantId(P2), product_id: P2, on_hand: 3, reserved: 0 },
    ]);
    const holds = await db
      .prepare("SELECT order_id, product_id, variant_id, quantity, state FROM reservations ORDER BY id")
      .all();
    expect(holds.results).toEqual([
      {
        order_id: "ord_01jdmgr0000000000000000001",
        product_id: P1,
        variant_id: defaultVariantId(P1),
        quantity: 2,
        state: "active",
      },
      {
        order_id: "ord_01jdmgr0000000000000000002",
        product_id: P1,
        variant_id: defaultVariantId(P1),
        quantity: 3,
        state: "active",
      },
      {
        order_id: "ord_01jdmgr0000000000000000003",
        product_id: P2,
        variant_id: defaultVariantId(P2),
        quantity: 1,
        state: "committed",
      },
    ]);
    // The invariant still holds per row, and the guards came back with the rebuilt tables.
    await expect(
      db.prepare("UPDATE inventory SET reserved = 13 WHERE variant_id = ?1").bind(defaultVariantId(P1)).run(),
    ).rejects.toThrow(/CHECK constraint failed/);
    await expect(
      db.prepare("UPDATE reservations SET state = 'active' WHERE order_id = 'ord_01jdmgr0000000000000000003'").run(),
    ).rejects.toThrow(/reservation_state_final/);
    // 0007: old rows keep the defaults (standard tax, no weight of their own), and the CHECKs hold.
    const added = await db
      .prepare(
        "SELECT p.id, p.tax_class, v.weight_grams FROM products p JOIN product_variants v ON v.product_id = p.id ORDER BY p.id",
      )
      .all();
    expect(added.results).toEqual([
      { id: P1, tax_class: "standard", weight_grams: null },
      { id: P2, tax_class: "standard", weight_grams: null },
    ]);
    await expect(db.prepare("UPDATE products SET tax_class = 'luxury' WHERE id = ?1").bind(P1).run()).rejects.toThrow(
      /CHECK constraint failed/,
    );
    await expect(
      db.prepare("UPDATE product_variants SET weight_grams = -1 WHERE product_id = ?1").bind(P1).run(),
    ).rejects.toThrow(/CHECK constraint failed/);
  });

  it("writers that predate variants still work: a product alone names its default variant", async () => {
    const id = "prd_01jdmgr0000000000000000009";
    // Inserts as the release before variants writes them: no variant ids anywhere.
    const category = await createCategory();
    await env.DB.batch([
      env.DB.prepare(
        `INSERT INTO products (id, sku, name, description, category_id, price_amount, currency, created_at, updated_at)
         VALUES (?1, 'OLD-9', 'Old writer', '', ?3, 700, 'USD', ?2, ?2)`,
      ).bind(id, NOW, category.id),
      env.DB.prepare("INSERT INTO inventory (product_id, on_hand, reserved, updated_at) VALUES (?1, 4, 0, ?2)").bind(
        id,
        NOW,
      ),
      env.DB.prepare(
        `INSERT INTO reservations (hold_id, order_id, product_id, quantity, expires_at, state, created_at, updated_at)
         VALUES ('h', 'ord_01jdmgr0000000000000000009', ?1, 1, ?2, 'active', ?2, ?2)`,
      ).bind(id, NOW + 600_000),
      env.DB.prepare("UPDATE inventory SET reserved = reserved + 1 WHERE product_id = ?1").bind(id),
    ]);
    const row = await env.DB.prepare(
      "SELECT i.variant_id, i.on_hand, i.reserved, r.variant_id AS held FROM inventory i JOIN reservations r ON r.product_id = i.product_id WHERE i.product_id = ?1",
    )
      .bind(id)
      .first();
    expect(row).toEqual({ variant_id: defaultVariantId(id), on_hand: 4, reserved: 1, held: defaultVariantId(id) });
    expect(await exports.ProductsRpc.release("ord_01jdmgr0000000000000000009")).toEqual({
      ok: true,
      state: "released",
    });
    expect(
      await env.DB.prepare("SELECT reserved FROM inventory WHERE product_id = ?1").bind(id).first("reserved"),
    ).toBe(0);
  });
});

describe("0008 a product's price per market, on a database with market prices", () => {
  it("derives every product's price in each market from the rows already there", async () => {
    const mdb = env.MARKET_PRICES_MIGRATION_DB;
    await applyD1Migrations(
      mdb,
      env.TEST_MIGRATIONS.filter((m) => Number.parseInt(m.name, 10) < 8),
    );
    const P = "prd_01jdmgr0000000000000000081";
    const Q = "prd_01jdmgr0000000000000000082";
    const variant = (id: string, productId: string, sku: string, key: string, price: number, status = "active") =>
      mdb
        .prepare(
          `INSERT INTO product_variants (id, product_id, sku, options, option_key, price_amount, status, created_at, updated_at)
           VALUES (?1, ?2, ?3, '{}', ?4, ?5, ?6, ?7, ?7)`,
        )
        .bind(id, productId, sku, key, price, status, NOW);
    const price = (variantId: string, market: string, amount: number) =>
      mdb
        .prepare("INSERT INTO variant_prices (variant_id, market, amount, updated_at) VALUES (?1, ?2, ?3, ?4)")
        .bind(variantId, market, amount, NOW);
    const product = (id: string, sku: string) =>
      mdb
        .prepare(
          `INSERT INTO products (id, sku, name, description, category_id, price_amount, currency, status, created_at, updated_at)
           VALUES (?1, ?2, ?2, '', ?3, 1000, 'USD', 'active', ?4, ?4)`,
        )
        .bind(id, sku, CAT, NOW);
    const vp = defaultVariantId(P);
    await mdb.batch([
      mdb.prepare("INSERT INTO categories (id, slug, name, created_at) VALUES (?1, 'old', 'Old', ?2)").bind(CAT, NOW),
      mdb
        .prepare(
          `INSERT INTO markets (code, name, currency, countries, is_default, position, created_at, updated_at)
           VALUES ('eu', 'Euro area', 'EUR', '["DE"]', 0, 1, ?1, ?1), ('gb', 'UK', 'GBP', '["GB"]', 0, 2, ?1, ?1)`,
        )
        .bind(NOW),
      product(P, "MIG-P"),
      product(Q, "MIG-Q"),
      // P: its default variant is priced in eu (so it wins over a cheaper one); only M is in gb.
      variant("var_01jdmgr00000000000000000m1", P, "MIG-P-M", "size=M", 900),
      variant("var_01jdmgr00000000000000000l1", P, "MIG-P-L", "size=L", 800, "archived"),
      price(vp, "eu", 1500),
      price("var_01jdmgr00000000000000000m1", "eu", 1200),
      price("var_01jdmgr00000000000000000m1", "gb", 1100),
      price("var_01jdmgr00000000000000000l1", "gb", 500),
      // Q: priced in eu through an archived variant only: not sold there.
      variant("var_01jdmgr00000000000000000m2", Q, "MIG-Q-M", "size=M", 900, "archived"),
      price("var_01jdmgr00000000000000000m2", "eu", 700),
    ]);

    await applyD1Migrations(mdb, env.TEST_MIGRATIONS);

    const { results } = await mdb
      .prepare("SELECT product_id, market, amount FROM product_market_prices ORDER BY product_id, market")
      .all();
    expect(results).toEqual([
      { product_id: P, market: "eu", amount: 1500 },
      { product_id: P, market: "gb", amount: 1100 },
    ]);
  });
});
