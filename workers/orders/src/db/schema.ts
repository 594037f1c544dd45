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
