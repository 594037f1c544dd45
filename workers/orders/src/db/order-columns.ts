import { integer, text } from "drizzle-orm/sqlite-core";

/**
 * The facts of an order that both its Durable Object (`order_state`, the source of truth) and
 * the D1 history (`orders`, the projection) keep, column for column. A function, so each table
 * builds its own columns.
 */
export const orderFactColumns = () => ({
  id: text("id").primaryKey(),
  /** The short number shown to people (ADR 0013, D1 migration 0003); null only on an order placed before numbers existed. */
  number: integer("number"),
  userId: text("user_id").notNull(),
  status: text("status").notNull(),
  /** The market the order was placed in (ADR 0032); null for orders from before markets (the default market). */
  market: text("market"),
  currency: text("currency"),
  total: integer("total"),
  shippingAddress: text("shipping_address").notNull(),
  paymentId: text("payment_id"),
  paymentStatus: text("payment_status"),
  amountRefunded: integer("amount_refunded").notNull().default(0),
  failureMessage: text("failure_message"),
  carrier: text("carrier"),
  trackingNumber: text("tracking_number"),
  shippedAt: text("shipped_at"),
  reason: text("reason"),
  createdAt: text("created_at").notNull(),
  updatedAt: text("updated_at").notNull(),
  /** The DO's version of the order; the D1 row's upsert only ever raises it. */
  version: integer("version").notNull(),
});
