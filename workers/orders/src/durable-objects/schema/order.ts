import { outboxTable } from "@shop/runtime/tables";
import { sql } from "drizzle-orm";
import { check, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { orderFactColumns } from "../../db/order-columns";

/**
 * An order's own storage (OrderDO, services/order-saga/store.ts). Changes go through a
 * drizzle-kit migration (`pnpm db:generate:do`, migrations in ../migrations/order) — ADR 0020.
 */
export const orderState = sqliteTable("order_state", {
  ...orderFactColumns(),
  paymentMethod: text("payment_method").notNull(),
  reserved: integer("reserved").notNull().default(0),
  refundRequested: integer("refund_requested").notNull().default(0),
  deadlineAt: integer("deadline_at").notNull(),
  traceparent: text("traceparent"),
  /**
   * How placing ended, once it has (JSON of a `CreationOutcome`): what every retry of
   * `POST /orders` with the same Idempotency-Key is answered from. Migration 0001 turned the
   * stored HTTP status and body of older orders into it.
   */
  creation: text("creation"),
  /**
   * Deprecated (expand/contract, ADR 0014): the first answer as HTTP, as releases before
   * migration 0001 stored it. Never written now; read only for a row a rolled-back release
   * settled. Dropped by a later migration once no release that writes it can run.
   */
  creationStatus: integer("creation_status"),
  creationBody: text("creation_body"),
  nextActionUrl: text("next_action_url"),
  returnUrl: text("return_url"),
});

/**
 * One line per variant (ADR 0029). Migration 0003 gave lines from before variants (keyed by
 * product) their product's default variant.
 */
export const orderLines = sqliteTable(
  "order_lines",
  {
    variantId: text("variant_id").primaryKey(),
    productId: text("product_id").notNull(),
    position: integer("position").notNull(),
    quantity: integer("quantity").notNull(),
    sku: text("sku"),
    /** The variant's option values when priced ("M / Blue"); "" for a product without options. */
    variantLabel: text("variant_label").notNull().default(""),
    name: text("name"),
    unitAmount: integer("unit_amount"),
    currency: text("currency"),
    /**
     * What pricing needs of the line besides its price, as quoted with it (ADR 0033): grams per
     * unit, tax class, category. NULL (lines priced before these, or a catalog that sent none):
     * the checkout's default weight, the standard class, no category.
     */
    weightGrams: integer("weight_grams"),
    taxClass: text("tax_class"),
    categoryId: text("category_id"),
  },
  (t) => [check("order_lines_quantity", sql`${t.quantity} BETWEEN 1 AND 99`)],
);

export const timeline = sqliteTable("timeline", {
  seq: integer("seq").primaryKey(),
  type: text("type").notNull(),
  status: text("status").notNull(),
  at: text("at").notNull(),
  detail: text("detail"),
});

export const processedEvents = sqliteTable("processed_events", {
  eventId: text("event_id").primaryKey(),
  processedAt: integer("processed_at").notNull(),
});

export const tasks = sqliteTable("tasks", {
  name: text("name").primaryKey(),
  attempts: integer("attempts").notNull().default(0),
  nextAt: integer("next_at").notNull(),
  lastError: text("last_error"),
});

/**
 * The order's own retry row for the D1 history projection (`id`/`kind` = 'projection'), which
 * is not a queue message. Releases before migration 0002 also kept notification messages here
 * (`kind` = 'notification'); 0002 moved the pending ones to `notification_outbox`.
 */
export const outbox = sqliteTable("outbox", {
  id: text("id").primaryKey(),
  kind: text("kind").notNull(),
  payload: text("payload").notNull(),
  attempts: integer("attempts").notNull().default(0),
  nextAt: integer("next_at").notNull(),
});

/**
 * Notification messages waiting for the `notifications` queue: the runtime's Durable Object
 * outbox (ADR 0019), written in the transaction of the change they announce.
 */
export const notificationOutbox = outboxTable("notification_outbox");
