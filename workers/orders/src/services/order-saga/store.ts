import {
  type Currency,
  defaultVariantId,
  type EnvelopeBody,
  type NotificationMessage,
  newEnvelope,
  type Order,
  type OrderEvent,
  type OrderStatus,
  type PriceBreakdown,
  type ShippingAddress,
} from "@shop/contracts";
import { type Backoff, backoffMs, newId } from "@shop/runtime";
import { DurableOutbox } from "@shop/runtime/outbox";
import { drizzle } from "drizzle-orm/durable-sqlite";
import { notificationOutbox } from "../../durable-objects/schema/order";
import { lineView, moneyOf, paymentView, trackingView } from "../orders/order-view";
import type { StoredReturn } from "../returns/types";
import {
  type Change,
  type CheckoutChoice,
  type LineRow,
  type OrderRow,
  type PlaceInput,
  TASK_PRIORITY,
  type TaskName,
} from "./types";

/** Retry delays of tasks, notification messages and the projection: 1 s, 2 s, 4 s … capped at 5 minutes, plus up to 20 % jitter. */
const RETRY: Backoff = { baseMs: 1000, maxMs: 300_000, jitter: 0.2 };

/** What the D1 history holds of an order: timeline entries up to `seq`, and whether its priced lines. */
export type Projected = { seq: number; lines: boolean };
const PROJECTED_KEY = "projected";
/** The order's returns (ADR 0034), in the object's key-value storage: written with `apply`. */
const RETURNS_KEY = "returns";
/** The shopper's checkout choice (ADR 0035), kept with the order when it is created. */
const CHECKOUT_KEY = "checkout";
/** How the total was reached (ADR 0035), once priced. */
const BREAKDOWN_KEY = "breakdown";

/**
 * The order's own storage (the DO's SQLite). Every change goes through `apply`, which
 * writes the new state, the timeline entry, the tasks, the notification messages and the
 * projection row in one `transactionSync`: a state change and the news of it are never separated.
 */
export class OrderStore {
  private readonly sql: SqlStorage;
  /**
   * Notification messages (the runtime's Durable Object outbox, ADR 0019). No grace period: the
   * alarm right after the change sends them, and a refused batch waits for RETRY.
   */
  readonly notifications: DurableOutbox;

  constructor(private readonly storage: DurableObjectStorage) {
    this.sql = storage.sql;
    this.notifications = new DurableOutbox(drizzle(storage), notificationOutbox, {
      worker: "orders",
      graceMs: 0,
      retry: RETRY,
    });
  }

  /**
   * Gives an order placed before numbers existed the number the history gave it (ADR 0013).
   * Never changes a number once set.
   */
  adoptNumber(number: number): void {
    this.sql.exec("UPDATE order_state SET number = ? WHERE number IS NULL", number);
  }

  /** Reads never create tables, so looking up an unknown id leaves nothing behind. */
  exists(): boolean {
    return (
      this.sql.exec("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'order_state'").toArray().length > 0 &&
      this.sql.exec("SELECT 1 FROM order_state").toArray().length > 0
    );
  }

  row(): OrderRow {
    return this.sql.exec<OrderRow>("SELECT * FROM order_state").one();
  }

  lines(): LineRow[] {
    return this.sql.exec<LineRow>("SELECT * FROM order_lines ORDER BY position").toArray();
  }

  /**
   * Creates the order, without its number yet: placing draws it at the same time as it holds
   * the stock, and stores it before any outcome can show the order (ADR 0013). The tables exist
   * already: the OrderDO migrates its schema before the first write (ADR 0020).
   */
  create(input: PlaceInput, deadlineAt: number, now: Date): void {
    const at = now.toISOString();
    this.storage.transactionSync(() => {
      this.sql.exec(
        `INSERT INTO order_state (id, number, user_id, status, market, shipping_address, payment_method, return_url,
           deadline_at, traceparent, created_at, updated_at, version) VALUES (?, NULL, ?, 'pending', ?, ?, ?, ?, ?, ?, ?, ?, 0)`,
        input.orderId,
        input.userId,
        input.market ?? null,
        JSON.stringify(input.shippingAddress),
        input.paymentMethod,
        input.returnUrl ?? null,
        deadlineAt,
        input.traceparent ?? null,
        at,
        at,
      );
      input.lines.forEach((l, i) => {
        this.sql.exec(
          "INSERT INTO order_lines (variant_id, product_id, position, quantity) VALUES (?, ?, ?, ?)",
          l.variantId ?? defaultVariantId(l.productId),
          l.productId,
          i,
          l.quantity,
        );
      });
      if (input.checkout && Object.keys(input.checkout).length) this.storage.kv.put(CHECKOUT_KEY, input.checkout);
      this.applyInTransaction({ event: { type: "order.created" }, addTasks: ["place"] }, now);
    });
  }

  apply(change: Change, now = new Date()): void {
    this.storage.transactionSync(() => this.applyInTransaction(change, now));
  }

  private applyInTransaction(change: Change, now: Date): void {
    const at = now.toISOString();
    if (change.processedEventId) {
      this.sql.exec(
        "INSERT OR IGNORE INTO processed_events (event_id, processed_at) VALUES (?, ?)",
        change.processedEventId,
        now.getTime(),
      );
    }
    for (const l of change.pricedLines ?? []) {
      this.sql.exec(
        "UPDATE order_lines SET sku = ?, variant_label = ?, name = ?, unit_amount = ?, currency = ?, weight_grams = ?, tax_class = ?, category_id = ? WHERE variant_id = ?",
        l.sku,
        l.variantLabel,
        l.name,
        l.unitAmount,
        l.currency,
        l.weightGrams,
        l.taxClass,
        l.categoryId,
        l.variantId,
      );
    }
    if (change.returns) this.storage.kv.put(RETURNS_KEY, change.returns);
    if (change.breakdown) this.storage.kv.put(BREAKDOWN_KEY, change.breakdown);
    // A number is given once: an order that has one keeps it (ADR 0013).
    const numbered =
      change.number !== undefined &&
      this.sql.exec("UPDATE order_state SET number = ? WHERE number IS NULL", change.number).rowsWritten > 0;
    const patch = Object.entries(change.patch ?? {});
    const changesOrder =
      numbered ||
      patch.length > 0 ||
      change.event !== undefined ||
      change.pricedLines !== undefined ||
      change.returns !== undefined ||
      change.breakdown !== undefined;
    if (changesOrder) {
      const sets = patch.map(([k]) => `${k} = ?`);
      this.sql.exec(
        `UPDATE order_state SET ${[...sets, "updated_at = ?", "version = version + 1"].join(", ")}`,
        ...patch.map(([, v]) => v ?? null),
        at,
      );
    }
    const row = this.row();
    if (change.event) {
      this.sql.exec(
        "INSERT INTO timeline (type, status, at, detail) VALUES (?, ?, ?, ?)",
        change.event.type,
        row.status,
        at,
        change.event.detail ? JSON.stringify(change.event.detail) : null,
      );
    }
    for (const name of change.doneTasks ?? []) this.sql.exec("DELETE FROM tasks WHERE name = ?", name);
    for (const name of change.addTasks ?? []) {
      this.sql.exec(
        "INSERT INTO tasks (name, next_at) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET next_at = excluded.next_at, attempts = 0",
        name,
        now.getTime(),
      );
    }
    if (change.notify) {
      const message = newEnvelope<NotificationMessage>(
        { id: newId("message"), occurredAt: at, traceparent: row.traceparent },
        {
          userId: row.user_id,
          ...change.notify,
          // Every order message names the order by its number too (ADR 0013).
          data: { ...change.notify.data, ...(row.number !== null ? { number: row.number } : {}) },
        } as EnvelopeBody<NotificationMessage>,
      );
      this.notifications.enqueue(message, now.getTime());
    }
    if (changesOrder) {
      this.sql.exec(
        `INSERT INTO outbox (id, kind, payload, next_at) VALUES ('projection', 'projection', '{}', ?)
         ON CONFLICT (id) DO UPDATE SET next_at = min(next_at, excluded.next_at)`,
        now.getTime(),
      );
    }
  }

  returns(): StoredReturn[] {
    return this.storage.kv.get<StoredReturn[]>(RETURNS_KEY) ?? [];
  }

  checkout(): CheckoutChoice | null {
    return this.storage.kv.get<CheckoutChoice>(CHECKOUT_KEY) ?? null;
  }

  breakdown(): PriceBreakdown | null {
    return this.storage.kv.get<PriceBreakdown>(BREAKDOWN_KEY) ?? null;
  }

  hasProcessed(eventId: string): boolean {
    return this.sql.exec("SELECT 1 FROM processed_events WHERE event_id = ?", eventId).toArray().length > 0;
  }

  hasTask(name: TaskName): boolean {
    return this.sql.exec("SELECT 1 FROM tasks WHERE name = ?", name).toArray().length > 0;
  }

  /** The most urgent task due now (all pending tasks when `force`). */
  nextDueTask(now: number, skip: Set<TaskName>): TaskName | null {
    const due = this.sql
      .exec<{ name: TaskName; next_at: number }>("SELECT name, next_at FROM tasks")
      .toArray()
      .filter((t) => t.next_at <= now && !skip.has(t.name))
      .sort((a, b) => TASK_PRIORITY[a.name] - TASK_PRIORITY[b.name]);
    return due[0]?.name ?? null;
  }

  makeDue(name: TaskName, now: number): void {
    this.sql.exec("UPDATE tasks SET next_at = ? WHERE name = ?", now, name);
  }

  taskFailed(name: TaskName, error: string, now: number): void {
    const row = this.sql.exec<{ attempts: number }>("SELECT attempts FROM tasks WHERE name = ?", name).toArray()[0];
    if (!row) return;
    this.sql.exec(
      "UPDATE tasks SET attempts = ?, next_at = ?, last_error = ? WHERE name = ?",
      row.attempts + 1,
      now + backoffMs(row.attempts + 1, RETRY),
      error.slice(0, 500),
      name,
    );
  }

  /**
   * Moves notification messages a release from before migration 0002 wrote into `outbox`
   * (after a rollback) to `notification_outbox`, as 0002 did, so they are sent like the others.
   */
  adoptLegacyNotifications(): void {
    this.storage.transactionSync(() => {
      this.sql.exec(
        `INSERT OR IGNORE INTO notification_outbox (id, payload, created_at, attempts, next_at)
         SELECT id, payload, next_at, attempts, next_at FROM outbox WHERE kind = 'notification'`,
      );
      this.sql.exec("DELETE FROM outbox WHERE kind = 'notification'");
    });
  }

  /** Whether the D1 history projection is due (its row in the order's own `outbox`). */
  projectionDue(now: number): boolean {
    return this.sql.exec("SELECT 1 FROM outbox WHERE id = 'projection' AND next_at <= ?", now).toArray().length > 0;
  }

  /**
   * What the D1 history already holds of this order: its timeline up to `seq`, and its lines
   * once they were priced. Kept in the object's key-value storage (no schema change); an order
   * projected before it was kept starts from nothing (every write is idempotent).
   */
  projected(): Projected {
    return this.storage.kv.get<Projected>(PROJECTED_KEY) ?? { seq: 0, lines: false };
  }

  projectionDelivered(projected?: Projected): void {
    this.storage.transactionSync(() => {
      this.sql.exec("DELETE FROM outbox WHERE id = 'projection'");
      if (projected) this.storage.kv.put(PROJECTED_KEY, projected);
    });
  }

  projectionFailed(now: number): void {
    const row = this.sql.exec<{ attempts: number }>("SELECT attempts FROM outbox WHERE id = 'projection'").toArray()[0];
    if (!row) return;
    this.sql.exec(
      "UPDATE outbox SET attempts = ?, next_at = ? WHERE id = 'projection'",
      row.attempts + 1,
      now + backoffMs(row.attempts + 1, RETRY),
    );
  }

  /** When the alarm must next run: the earliest task, notification, projection or payment deadline. */
  nextWakeUp(): number | null {
    const times: number[] = [];
    const t = this.sql.exec<{ at: number | null }>("SELECT min(next_at) AS at FROM tasks").one().at;
    const o = this.sql.exec<{ at: number | null }>("SELECT min(next_at) AS at FROM outbox").one().at;
    const n = this.notifications.nextDueAt();
    if (t !== null) times.push(t);
    if (o !== null) times.push(o);
    if (n !== null) times.push(n);
    const row = this.row();
    if (row.status === "awaiting_payment" && row.payment_status !== "succeeded") times.push(row.deadline_at);
    return times.length ? Math.min(...times) : null;
  }

  timeline(): OrderEvent[] {
    return this.sql
      .exec<{ seq: number; type: string; status: OrderStatus; at: string; detail: string | null }>(
        "SELECT seq, type, status, at, detail FROM timeline ORDER BY seq",
      )
      .toArray()
      .map((e) => ({ ...e, detail: e.detail ? (JSON.parse(e.detail) as Record<string, unknown>) : null }));
  }

  /** The order as the API shows it. Lines appear once they are priced. */
  view(): Order {
    const row = this.row();
    const lines = this.lines();
    const priced = lines.every((l) => l.unit_amount !== null && l.currency !== null && l.name !== null);
    const currency = (row.currency ?? null) as Order["currency"];
    return {
      id: row.id,
      number: row.number ?? null,
      userId: row.user_id,
      status: row.status,
      market: row.market ?? null,
      currency,
      total: moneyOf(row.total, currency),
      itemCount: lines.reduce((n, l) => n + l.quantity, 0),
      lines: priced
        ? lines.map((l) =>
            lineView({
              productId: l.product_id,
              variantId: l.variant_id,
              sku: l.sku,
              variantLabel: l.variant_label,
              name: l.name ?? "",
              quantity: l.quantity,
              unitAmount: l.unit_amount ?? 0,
              currency: l.currency as Currency,
            }),
          )
        : [],
      shippingAddress: JSON.parse(row.shipping_address) as ShippingAddress,
      payment: paymentView({
        paymentId: row.payment_id,
        status: row.payment_status,
        amountRefunded: row.amount_refunded,
        failureMessage: row.failure_message,
        nextActionUrl: row.next_action_url,
      }),
      tracking: trackingView(row.carrier, row.tracking_number, row.shipped_at),
      paymentDeadline: new Date(row.deadline_at).toISOString(),
      reason: row.reason,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      breakdown: this.breakdown(),
      timeline: this.timeline(),
    };
  }
}
