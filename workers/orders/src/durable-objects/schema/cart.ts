import { sql } from "drizzle-orm";
import { check, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * A cart's own storage (CartDO). Changes go through a drizzle-kit migration
 * (`pnpm db:generate:do`, migrations in ../migrations/cart) — see ADR 0020.
 */
/**
 * One line per variant (ADR 0029): size M and size L of one product are two lines. Migration
 * 0001 moved lines from before variants (keyed by product) to their product's default variant.
 */
export const lines = sqliteTable(
  "lines",
  {
    variantId: text("variant_id").primaryKey(),
    productId: text("product_id").notNull(),
    quantity: integer("quantity").notNull(),
    addedAt: integer("added_at").notNull(),
  },
  (t) => [check("lines_quantity", sql`${t.quantity} BETWEEN 1 AND 99`)],
);

/** `secret_hash` (a guest cart's), `merged_into` (a sealed guest cart's user). */
export const meta = sqliteTable("meta", {
  key: text("key").primaryKey(),
  value: text("value").notNull(),
});

/** Guest carts already merged into this (a user's) cart: a replayed merge changes nothing. */
export const mergedCarts = sqliteTable("merged_carts", {
  cartId: text("cart_id").primaryKey(),
  mergedAt: integer("merged_at").notNull(),
});

/** Orders whose units were already taken out of this cart: a retried clear changes nothing. */
export const appliedOrders = sqliteTable("applied_orders", {
  orderId: text("order_id").primaryKey(),
  appliedAt: integer("applied_at").notNull(),
});
