import { PaymentStatus } from "@shop/contracts";
import { outboxTable } from "@shop/runtime/tables";
import { sql } from "drizzle-orm";
import { check, index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/**
 * One row per order's payment. `status` only moves forward (see services/payments/status.ts);
 * every write that changes it also writes `last_change_id`, which the outbox insert of the same
 * batch keys on, so an event row exists exactly when the status change happened.
 */
export const payments = sqliteTable(
  "payments",
  {
    id: text("id").primaryKey(),
    orderId: text("order_id").notNull().unique(),
    userId: text("user_id").notNull(),
    amount: integer("amount").notNull(),
    currency: text("currency").notNull(),
    provider: text("provider", { enum: ["stripe", "simulated"] }).notNull(),
    providerRef: text("provider_ref"),
    status: text("status", { enum: PaymentStatus.options as [PaymentStatus, ...PaymentStatus[]] }).notNull(),
    amountRefunded: integer("amount_refunded").notNull().default(0),
    /** Refunds reserved but not yet confirmed by the provider; counts against what is left. */
    amountRefundPending: integer("amount_refund_pending").notNull().default(0),
    failureMessage: text("failure_message"),
    /** The provider's code for a failure (Stripe decline code or error code). */
    failureCode: text("failure_code"),
    /** While `requires_action`: the page where the shopper authenticates. */
    nextActionUrl: text("next_action_url"),
    /** 1 when the money arrived after the payment was recorded failed or cancelled. */
    receivedAfterClose: integer("received_after_close").notNull().default(0),
    /** While open: when the sync job may next ask the provider about it (backs off with age). */
    nextSyncAt: text("next_sync_at"),
    lastChangeId: text("last_change_id"),
    version: integer("version").notNull().default(1),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
  },
  (t) => [
    index("payments_user_idx").on(t.userId, t.id),
    index("payments_status_idx").on(t.status, t.id),
    index("payments_provider_ref_idx").on(t.providerRef),
    index("payments_updated_idx").on(t.updatedAt, t.id),
    check("payments_amount_check", sql`${t.amount} >= 0`),
    check(
      "payments_refund_check",
      sql`${t.amountRefunded} >= 0 AND ${t.amountRefundPending} >= 0 AND ${t.amountRefunded} + ${t.amountRefundPending} <= ${t.amount}`,
    ),
  ],
);

export const refunds = sqliteTable(
  "refunds",
  {
    id: text("id").primaryKey(),
    paymentId: text("payment_id")
      .notNull()
      .references(() => payments.id),
    amount: integer("amount").notNull(),
    reason: text("reason").notNull(),
    idempotencyKey: text("idempotency_key").notNull(),
    providerRef: text("provider_ref"),
    status: text("status", { enum: ["pending", "succeeded", "failed"] }).notNull(),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
  },
  (t) => [
    uniqueIndex("refunds_payment_key_idx").on(t.paymentId, t.idempotencyKey),
    check("refunds_amount_check", sql`${t.amount} > 0`),
  ],
);

/** Provider events already applied (webhooks and simulated outcomes): the de-duplication record. */
export const providerEvents = sqliteTable("provider_events", {
  eventId: text("event_id").primaryKey(),
  provider: text("provider").notNull(),
  type: text("type").notNull(),
  paymentId: text("payment_id"),
  receivedAt: text("received_at").notNull(),
});

/**
 * Transactional outbox for the `payment-events` queue, written in the same batch as the status
 * change: the runtime's one outbox shape (ADR 0019, migration 0006). The previous table,
 * `payment_events_outbox`, is left for a later release to drop (expand/contract).
 */
export const outbox = outboxTable();

/**
 * Idempotency-Key records of mutating HTTP routes (scope `refund:<admin id>`): the runtime's one
 * table (migration 0005; `idempotency_keys` before it, kept for the previous release until contracted).
 */
export { idempotencyRecords } from "@shop/runtime/tables";

/**
 * The simulated provider's PaymentIntents (local development and tests only). Stripe's state
 * machine: requires_action → succeeded | requires_payment_method; processing → succeeded |
 * requires_payment_method; canceled from any state that has not taken money.
 */
export const simIntents = sqliteTable(
  "sim_intents",
  {
    id: text("id").primaryKey(),
    paymentId: text("payment_id").notNull(),
    orderId: text("order_id").notNull(),
    idempotencyKey: text("idempotency_key").notNull(),
    amount: integer("amount").notNull(),
    currency: text("currency").notNull(),
    paymentMethod: text("payment_method").notNull(),
    status: text("status", {
      enum: ["requires_action", "processing", "succeeded", "requires_payment_method", "canceled"],
    }).notNull(),
    clientSecret: text("client_secret").notNull(),
    returnUrl: text("return_url"),
    failureCode: text("failure_code"),
    failureMessage: text("failure_message"),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
  },
  (t) => [uniqueIndex("sim_intents_key_idx").on(t.idempotencyKey), index("sim_intents_order_idx").on(t.orderId)],
);

/** Dead letters of `payments-simulator`: the runtime's one dead-letter table (migration 0003). */
export { queueDeadLetters as deadLetters } from "@shop/runtime/tables";
