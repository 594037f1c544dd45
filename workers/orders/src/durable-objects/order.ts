import { DurableObject } from "cloudflare:workers";
import type {
  CallMeta,
  Order,
  PaymentEventData,
  Principal,
  RequestReturnBody,
  Return,
  ShipOrderBody,
} from "@shop/contracts";
import { log, meterD1 } from "@shop/runtime";
import type { OrdersBindings } from "../env";
import { cancelOrder, deliverOrder, shipOrder } from "../services/order-saga/commands";
import type { CommandResult, SagaContext } from "../services/order-saga/context";
import { creationOutcome, settleCreation, storedCreation } from "../services/order-saga/creation";
import { drainOutbox } from "../services/order-saga/drain-outbox";
import { paymentOutcome } from "../services/order-saga/payment-outcome";
import { checkDeadline, runDueTasks, type SagaConfig } from "../services/order-saga/run-tasks";
import { OrderStore } from "../services/order-saga/store";
import type { PaymentEventOutcome, PlaceInput, PlaceOutcome } from "../services/order-saga/types";
import { actOnReturn, type ReturnAction, type ReturnResult, requestReturn } from "../services/returns/commands";
import { returnView } from "../services/returns/types";
import migrations from "./migrations/order/migrations.js";
import { hasStorage, migrateObject, type ObjectSchema } from "./schema/migrate";

/**
 * The order's schema (schema/order.ts, ADR 0020). An order written before drizzle managed it
 * may lack the columns added since the first orders (all nullable): they are added, then it
 * counts as being at migration 0000.
 */
export const ORDER_SCHEMA: ObjectSchema = {
  migrations,
  marker: "order_state",
  adoptUnversioned(sql) {
    const columns = new Set(
      sql
        .exec<{ name: string }>("PRAGMA table_info(order_state)")
        .toArray()
        .map((c) => c.name),
    );
    const added: [string, string][] = [
      ["next_action_url", "TEXT"],
      ["return_url", "TEXT"],
      ["number", "INTEGER"],
    ];
    for (const [column, type] of added) {
      if (!columns.has(column)) sql.exec(`ALTER TABLE order_state ADD COLUMN ${column} ${type}`);
    }
  },
};

/** How soon an interrupted run of the saga is resumed by its alarm. */
const WATCHDOG_MS = 5_000;

type Needs = "admin" | "owner" | "owner_or_admin";

/** What a return command answers: the return as the API shows it, or why not. */
export type ReturnAnswer = Exclude<ReturnResult, { ok: true }> | { ok: true; value: Return };

/** The one authorization rule of an order's commands; `caller` may be anything an RPC caller sent. */
function mayAct(ownerId: string, caller: Principal | undefined, needs: Needs): boolean {
  if (!caller || typeof caller !== "object") return false;
  if (needs === "owner") return caller.role === "customer" && caller.userId === ownerId;
  if (caller.role === "admin") return true;
  return needs === "owner_or_admin" && caller.role === "customer" && caller.userId === ownerId;
}

/**
 * One order, and the only thing that moves it. Every operation (HTTP command, payment
 * event, alarm) runs one at a time through `serial`, even across awaits on other services,
 * so two paths can never complete the same step. The logic lives in services/order-saga;
 * this class adapts RPC calls and the alarm to it.
 */
export class OrderDO extends DurableObject<OrdersBindings> {
  private readonly store: OrderStore;
  private queue: Promise<unknown> = Promise.resolve();
  private placing = false;
  private meta: CallMeta = {};

  constructor(ctx: DurableObjectState, env: OrdersBindings) {
    super(ctx, meterD1(env));
    this.store = new OrderStore(ctx.storage);
    // An order's schema is migrated before any request runs (ADR 0020), and one placed before
    // numbers existed gets its number. An id that names no order gets no tables: reading
    // one must leave nothing behind, so a new order's tables come with its first write.
    ctx.blockConcurrencyWhile(async () => {
      if (!hasStorage(ctx.storage, ORDER_SCHEMA)) return;
      migrateObject(ctx.storage, ORDER_SCHEMA);
      await this.adoptHistoryNumber();
    });
  }

  /**
   * An order placed before numbers existed takes the number migration 0003 gave its history row
   * (ADR 0013). Best effort: without one the order keeps no number and is named by its id.
   */
  private async adoptHistoryNumber(): Promise<void> {
    if (!this.store.exists() || this.store.row().number !== null) return;
    try {
      const found = await this.env.DB.prepare("SELECT number FROM orders WHERE id = ?1")
        .bind(this.store.row().id)
        .first<{ number: number | null }>();
      if (found?.number) this.store.adoptNumber(found.number);
    } catch (err) {
      log("warn", { worker: "orders", msg: "order number lookup failed", error: String(err) });
    }
  }

  private get saga(): SagaContext {
    return { store: this.store, env: this.env, meta: () => this.meta, now: () => new Date() };
  }

  private get config(): SagaConfig {
    return { reservationTtlSeconds: Number(this.env.RESERVATION_TTL_SECONDS) || 1200 };
  }

  /** Serializes `fn` after every earlier operation, then does due work and re-arms the alarm. */
  private serial<T>(meta: CallMeta | undefined, fn: () => Promise<T> | T): Promise<T> {
    const run = this.queue.then(async () => {
      this.meta = { ...meta, traceparent: meta?.traceparent ?? this.traceparent() };
      const value = await fn();
      if (this.store.exists()) await this.settle();
      return value;
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  private traceparent(): string | undefined {
    return this.store.exists() ? (this.store.row().traceparent ?? undefined) : undefined;
  }

  private async settle(): Promise<void> {
    // Watchdog first: if the process dies while a task is talking to a neighbour, this alarm
    // (durable before any outgoing call, thanks to the output gate) resumes the saga.
    await this.ctx.storage.setAlarm(Date.now() + WATCHDOG_MS);
    checkDeadline(this.saga);
    await runDueTasks(this.saga, this.config);
    settleCreation(this.store);
    await drainOutbox(this.saga);
    const next = this.store.nextWakeUp();
    if (next === null) await this.ctx.storage.deleteAlarm();
    else await this.ctx.storage.setAlarm(Math.max(next, Date.now() + 10));
  }

  /**
   * Places the order (or resumes placing it). Concurrent calls for one order never run the
   * steps twice: while one is placing, the others are told it is in flight.
   */
  async place(input: PlaceInput): Promise<PlaceOutcome> {
    // Defence in depth: only the user who placed an order may place (or replay) it again.
    if (this.store.exists() && this.store.row().user_id !== input.userId) return { kind: "forbidden" };
    if (this.store.exists() && storedCreation(this.store.row())) return creationOutcome(this.store, true);
    if (this.placing) return { kind: "in_flight" };
    if (!this.store.exists() && input.lines.length === 0) return { kind: "empty_cart" };
    this.placing = true;
    try {
      await this.serial(input, async () => {
        if (!this.store.exists()) {
          // The order is stored at once; its number is drawn by the place task at the same time
          // as the stock is held, and stored before any outcome shows the order (ADR 0013). A
          // retried placement finds the order and keeps its number.
          const deadlineMs = (Number(this.env.PAYMENT_DEADLINE_SECONDS) || 900) * 1000;
          // The order's tables come with it, in one transaction (ADR 0020).
          this.ctx.storage.transactionSync(() => {
            migrateObject(this.ctx.storage, ORDER_SCHEMA);
            this.store.create(input, Date.now() + deadlineMs, new Date());
          });
        } else if (this.store.hasTask("place")) {
          this.store.makeDue("place", Date.now());
        }
      });
      // Whatever this call produced is the first stored response, not a replay.
      return creationOutcome(this.store, false);
    } finally {
      this.placing = false;
    }
  }

  /** The order as it is now, or null when this id names no order. For the worker's own jobs (reconciliation). */
  async view(): Promise<Order | null> {
    return this.store.exists() ? this.store.view() : null;
  }

  /** The order as `caller` may see it: theirs, or any for an admin; otherwise null, as if it did not exist. */
  async viewFor(caller: Principal): Promise<Order | null> {
    if (!this.store.exists() || !mayAct(this.store.row().user_id, caller, "owner_or_admin")) return null;
    return this.store.view();
  }

  /** One `payment-events` message. De-duplicated by event id; stale facts change nothing. */
  async applyPaymentEvent(eventId: string, data: PaymentEventData, meta?: CallMeta): Promise<PaymentEventOutcome> {
    if (!this.store.exists()) return "unknown_order";
    return this.serial(meta, () => {
      if (this.store.hasProcessed(eventId)) return "duplicate";
      // A fact about another order, or about a payment made by another user, never moves this one.
      const row = this.store.row();
      const change = data.orderId === row.id && data.userId === row.user_id ? paymentOutcome(row, data) : null;
      this.store.apply({ ...change, processedEventId: eventId });
      return change ? "applied" : "stale";
    });
  }

  /** Reconciliation's poke: runs whatever is due now (deadline, tasks, outbox), as the alarm would. */
  async resume(meta?: CallMeta): Promise<void> {
    if (!this.store.exists()) return;
    await this.serial(meta, () => {});
  }

  async cancel(caller: Principal, reason: string | undefined, meta?: CallMeta): Promise<CommandResult<Order>> {
    return this.command(caller, "owner_or_admin", meta, () => cancelOrder(this.saga, reason));
  }

  /** Admin only, re-checked here whatever the route checked (defence in depth). */
  async ship(body: ShipOrderBody, caller: Principal, meta?: CallMeta): Promise<CommandResult<Order>> {
    return this.command(caller, "admin", meta, () => shipOrder(this.saga, body));
  }

  /** Admin only, re-checked here whatever the route checked (defence in depth). */
  async deliver(caller: Principal, meta?: CallMeta): Promise<CommandResult<Order>> {
    return this.command(caller, "admin", meta, () => deliverOrder(this.saga));
  }

  /**
   * Every command re-checks its caller: an admin-only command refuses anyone else (403, as the
   * route would); otherwise a caller who is neither owner nor admin learns nothing, not even
   * that the order exists.
   */
  private async command(
    caller: Principal,
    needs: Needs,
    meta: CallMeta | undefined,
    fn: () => CommandResult<null>,
  ): Promise<CommandResult<Order>> {
    const missing = { ok: false as const, code: "not_found" as const, message: "The order was not found." };
    if (needs === "admin" && caller?.role !== "admin") {
      return { ok: false, code: "forbidden", message: "Only an admin may do this." };
    }
    if (!this.store.exists()) return missing;
    const result = await this.serial(meta, () => {
      if (!mayAct(this.store.row().user_id, caller, needs)) return missing;
      return fn();
    });
    return result.ok ? { ok: true, value: this.store.view() } : result;
  }

  /** The owner asks to return units (ADR 0034); idempotent by `returnId`. Anyone else: not found. */
  async requestReturn(
    caller: Principal,
    returnId: string,
    body: RequestReturnBody,
    meta?: CallMeta,
  ): Promise<ReturnAnswer> {
    return this.returnCommand(caller, "owner", meta, () => requestReturn(this.saga, returnId, body));
  }

  /** Admin only, re-checked here (defence in depth): approve, reject or receive a return. */
  async actOnReturn(caller: Principal, returnId: string, action: ReturnAction, meta?: CallMeta): Promise<ReturnAnswer> {
    if (caller?.role !== "admin") return { ok: false, code: "forbidden", message: "Only an admin may do this." };
    return this.returnCommand(caller, "admin", meta, () => actOnReturn(this.saga, returnId, action));
  }

  /** The order's returns as `caller` may see them (owner or admin); otherwise null. */
  async returnsFor(caller: Principal): Promise<Return[] | null> {
    if (!this.store.exists() || !mayAct(this.store.row().user_id, caller, "owner_or_admin")) return null;
    const row = this.store.row();
    return this.store.returns().map((r) => returnView(row, r));
  }

  private async returnCommand(
    caller: Principal,
    needs: Needs,
    meta: CallMeta | undefined,
    fn: () => ReturnResult,
  ): Promise<ReturnAnswer> {
    const missing = { ok: false as const, code: "not_found" as const, message: "The order was not found." };
    if (!this.store.exists()) return missing;
    const result = await this.serial(meta, () => {
      if (!mayAct(this.store.row().user_id, caller, needs)) return missing;
      return fn();
    });
    if (!result.ok) return result;
    // As it is after the command's own follow-up work (a receive's restock and refund, when they answered at once).
    const now = this.store.returns().find((r) => r.id === result.value.id) ?? result.value;
    return { ok: true, value: returnView(this.store.row(), now) };
  }

  override async alarm(): Promise<void> {
    if (!this.store.exists()) return;
    await this.serial(undefined, () => {
      log("info", { worker: "orders", msg: "order alarm", order: this.store.row().id });
    });
  }
}
