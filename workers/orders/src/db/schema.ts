import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { orderFactColumns } from "./order-columns";

/**
 * The queryable history of orders. Each OrderDO is the source of truth for its order;
 * these tables are a projection written by the DO's outbox drain, upserted by version,
 * so replays and out-of-order deliveries never move a row backwards.
 */
export const orders = sqliteTable(
  "orders",
  {
    ...orderFactColumns(),
    itemCount: integer("item_count").notNull(),
    paymentDeadline: text("payment_deadline"),
    /** JSON of the order's `PriceBreakdown` (ADR 0035, migration 0009); null before it. */
    breakdown: text("breakdown"),
  },
  (t) => [
    index("orders_user_id_idx").on(t.userId, t.id),
    index("orders_status_id_idx").on(t.status, t.id),
    uniqueIndex("orders_number_unique").on(t.number),
  ],
);

/**
 * One row per variant bought (ADR 0029; migration 0005). `variant_id` defaults to '' so a
 * release from before variants still writes its rows (expand/contract, ADR 0014): such a line
 * is its product's default variant (`lineView` reads it so).
 */
export const orderLines = sqliteTable(
  "order_lines",
  {
    orderId: text("order_id").notNull(),
    productId: text("product_id").notNull(),
    variantId: text("variant_id").notNull().default(""),
    sku: text("sku"),
    variantLabel: text("variant_label").notNull().default(""),
    name: text("name").notNull(),
    quantity: integer("quantity").notNull(),
    unitAmount: integer("unit_amount").notNull(),
    currency: text("currency").notNull(),
    lineTotal: integer("line_total").notNull(),
  },
  (t) => [primaryKey({ columns: [t.orderId, t.productId, t.variantId] })],
);

export const orderEvents = sqliteTable(
  "order_events",
  {
    orderId: text("order_id").notNull(),
    seq: integer("seq").notNull(),
    type: text("type").notNull(),
    status: text("status").notNull(),
    at: text("at").notNull(),
    detail: text("detail"),
  },
  (t) => [primaryKey({ columns: [t.orderId, t.seq] })],
);

/**
 * `POST /orders` Idempotency-Key records (scope `order:<user id>`): the runtime's one table
 * (migration 0004; `idempotency_keys` before it, kept for the previous release until contracted).
 */
/** Dead letters of `payment-events`: the runtime's one dead-letter table (migration 0001). */
export { idempotencyRecords, queueDeadLetters as deadLetters } from "@shop/runtime/tables";

/**
 * One row per reconciliation run (migration 0002). The newest is the report admins read and
 * tells the next run where to resume the feed of settled payments; `report` holds the JSON of
 * the repairs and problems.
 */
export const reconciliationRuns = sqliteTable(
  "reconciliation_runs",
  {
    id: text("id").primaryKey(),
    startedAt: text("started_at").notNull(),
    finishedAt: text("finished_at").notNull(),
    paymentsSince: text("payments_since").notNull(),
    /** Where the settled-payments feed stopped when a bounded run did not reach its end. */
    paymentsCursor: text("payments_cursor"),
    paymentsComplete: integer("payments_complete").notNull(),
    paymentsChecked: integer("payments_checked").notNull(),
    ordersChecked: integer("orders_checked").notNull(),
    complete: integer("complete").notNull(),
    repairs: integer("repairs").notNull(),
    problems: integer("problems").notNull(),
    report: text("report").notNull(),
  },
  (t) => [index("reconciliation_runs_started_idx").on(t.startedAt, t.id)],
);

// ---- Promotions and shipping (migration 0006, ADR 0033) -------------------------------------

/**
 * Admin-defined promotions. `definition` is the JSON of what pricing reads (discount, target,
 * minimum subtotal, dates, exclusive); `uses` is kept by triggers on `promotion_redemptions`
 * and held within `usage_limit` by a CHECK.
 */
export const promotions = sqliteTable("promotions", {
  id: text("id").primaryKey(),
  code: text("code"),
  name: text("name").notNull(),
  definition: text("definition").notNull(),
  usageLimit: integer("usage_limit"),
  perCustomerLimit: integer("per_customer_limit"),
  uses: integer("uses").notNull().default(0),
  active: integer("active", { mode: "boolean" }).notNull().default(true),
  createdAt: text("created_at").notNull(),
  updatedAt: text("updated_at").notNull(),
});

/** The redemption ledger: one row per (promotion, order), claimed then maybe released once. */
export const promotionRedemptions = sqliteTable(
  "promotion_redemptions",
  {
    promotionId: text("promotion_id").notNull(),
    orderId: text("order_id").notNull(),
    customerId: text("customer_id").notNull(),
    state: text("state", { enum: ["claimed", "released"] }).notNull(),
    claimedAt: text("claimed_at").notNull(),
    releasedAt: text("released_at"),
  },
  (t) => [primaryKey({ columns: [t.promotionId, t.orderId] })],
);

export const shippingZones = sqliteTable("shipping_zones", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  updatedAt: text("updated_at").notNull(),
});

/** A country belongs to one zone at most (its primary key). */
export const shippingZoneCountries = sqliteTable("shipping_zone_countries", {
  country: text("country").primaryKey(),
  zoneId: text("zone_id").notNull(),
});

export const shippingMethods = sqliteTable("shipping_methods", {
  id: text("id").primaryKey(),
  zoneId: text("zone_id").notNull(),
  name: text("name").notNull(),
  /** JSON of the contracts' `ShippingRate`. */
  rate: text("rate").notNull(),
  active: integer("active", { mode: "boolean" }).notNull().default(true),
  position: integer("position").notNull().default(0),
  updatedAt: text("updated_at").notNull(),
});
