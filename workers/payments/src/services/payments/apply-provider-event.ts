import type { PaymentStatus } from "@shop/contracts";
import type { OutboxRow } from "@shop/runtime/outbox";
import { eq, or, sql } from "drizzle-orm";
import { atomically } from "../../db/batch";
import type { Db } from "../../db/client";
import { payments, providerEvents } from "../../db/schema";
import type { PaymentsContext } from "../../env";
import { batchForgettingSent, changedEventsSelect, publishRows } from "../events/publish";
import type { ProviderName } from "../providers/provider";
import { paymentEvents } from "./gateway";
import { type ProviderRefund, providerRefundStatements } from "./provider-refund";
import { transitionStatements } from "./transition";

/** A gateway event reduced to what we act on: Stripe webhooks and simulated outcomes alike. */
export type ProviderEvent = {
  id: string;
  provider: ProviderName;
  type: string;
  paymentId: string | null;
  providerRef: string | null;
  /** The status the event reports, or null for event types we only record. */
  status: Extract<PaymentStatus, "requires_action" | "processing" | "succeeded" | "failed" | "cancelled"> | null;
  failureMessage: string | null;
  failureCode?: string | null;
  /** With `requires_action`: where the shopper authenticates. */
  nextActionUrl?: string | null;
  /** A refund the gateway reports (Stripe `refund.*` events), ours or made at the gateway. */
  refund?: ProviderRefund;
};

export type ApplyResult = "applied" | "duplicate" | "no_change" | "unknown_payment" | "wrong_provider";

/** The event id was recorded by a concurrent delivery. drizzle wraps D1's error: look at the cause too. */
function isDuplicateEvent(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    if (/UNIQUE constraint failed: provider_events/i.test(String((e as Error)?.message ?? e))) return true;
  }
  return false;
}

/**
 * Whether the event was seen, and the payment it names (by id first, else by provider
 * reference), in one round trip.
 */
async function seenAndLocate(db: Db, event: ProviderEvent) {
  const names = [
    ...(event.paymentId ? [eq(payments.id, event.paymentId)] : []),
    ...(event.providerRef ? [eq(payments.providerRef, event.providerRef)] : []),
  ];
  const [seen, candidates] = await db.batch([
    db.select({ eventId: providerEvents.eventId }).from(providerEvents).where(eq(providerEvents.eventId, event.id)),
    db
      .select()
      .from(payments)
      .where(names.length ? or(...names) : sql`0`),
  ]);
  const payment =
    candidates.find((p) => event.paymentId && p.id === event.paymentId) ??
    candidates.find((p) => event.providerRef && p.providerRef === event.providerRef);
  return { seen: seen.length > 0, payment };
}

/** Sends the event a batch wrote (its read-back `result`): "applied", or "no_change" when it wrote none. */
async function publishChanged(ctx: PaymentsContext, result: D1Result | undefined): Promise<ApplyResult> {
  const rows = (result?.results ?? []) as OutboxRow[];
  if (rows.length === 0) return "no_change";
  await publishRows(ctx.db, paymentEvents(ctx.env), rows);
  return "applied";
}

/**
 * The one place gateway outcomes change a payment. The event id is recorded in the same batch
 * as the status change, with a plain INSERT: a duplicate (even a concurrent one) fails that
 * batch and changes nothing. The status change itself only applies from an allowed predecessor,
 * so late or out-of-order events cannot move a payment backwards.
 */
export async function applyProviderEvent(ctx: PaymentsContext, event: ProviderEvent): Promise<ApplyResult> {
  return event.refund ? applyRefundEvent(ctx, event, event.refund) : applyStatusEvent(ctx, event);
}

/** A refund the gateway reports: its statements need the payment's id, so it is located first. */
async function applyRefundEvent(ctx: PaymentsContext, event: ProviderEvent, refund: ProviderRefund) {
  const { db } = ctx;
  const located = await seenAndLocate(db, event);
  if (located.seen) return "duplicate";
  // An event speaks only for payments of its own provider: a simulated outcome can never move a
  // Stripe payment (nor the reverse), whatever ids it names.
  const wrongProvider = located.payment !== undefined && located.payment.provider !== event.provider;
  const payment = wrongProvider ? undefined : located.payment;
  const record = db.insert(providerEvents).values({
    eventId: event.id,
    provider: event.provider,
    type: event.type,
    paymentId: payment?.id ?? null,
    receivedAt: new Date(ctx.meta.now).toISOString(),
  });
  try {
    if (!payment) {
      await record;
      return wrongProvider ? "wrong_provider" : "unknown_payment";
    }
    const change = providerRefundStatements(payment.id, refund, ctx.meta.traceparent);
    if (!change.changeId) {
      await atomically(db, [record, ...change.statements]);
      return "no_change";
    }
    // The outbox row exists exactly when the change applied; the batch reads it back.
    const results = await atomically(db, [record, ...change.statements, changedEventsSelect(db, [change.changeId])]);
    return publishChanged(ctx, results.at(-1));
  } catch (err) {
    if (isDuplicateEvent(err)) return "duplicate";
    throw err;
  }
}

/**
 * A status event (every simulated outcome, most Stripe events) in one round trip: the batch
 * records the event id (a duplicate fails the whole batch), changes the payment it names
 * (located inside the batch, own provider only) from an allowed predecessor, writes the event
 * of that change, and reads back what it wrote and which payment the ids name.
 */
async function applyStatusEvent(ctx: PaymentsContext, event: ProviderEvent): Promise<ApplyResult> {
  const { db } = ctx;
  const named = or(
    event.paymentId ? eq(payments.id, event.paymentId) : sql`0`,
    event.providerRef ? eq(payments.providerRef, event.providerRef) : sql`0`,
  );
  // By id first, else by provider reference, as `seenAndLocate` picks.
  const located = sql`(SELECT ${payments.id} FROM ${payments} WHERE ${named} AND ${payments.provider} = ${event.provider}
    ORDER BY (${payments.id} = ${event.paymentId ?? ""}) DESC LIMIT 1)`;
  const record = db.insert(providerEvents).values({
    eventId: event.id,
    provider: event.provider,
    type: event.type,
    paymentId: located,
    receivedAt: new Date(ctx.meta.now).toISOString(),
  });
  const change = event.status
    ? transitionStatements(db, {
        paymentId: located,
        to: event.status,
        providerRef: event.providerRef,
        traceparent: ctx.meta.traceparent,
        ...(event.status === "failed"
          ? { failureMessage: event.failureMessage, failureCode: event.failureCode ?? null }
          : {}),
        ...(event.status === "requires_action" ? { nextActionUrl: event.nextActionUrl ?? null } : {}),
      })
    : null;
  try {
    // (It also deletes the outbox rows of events this isolate already sent, such as create's
    // event for this very payment.)
    const results = await batchForgettingSent(db, [
      record,
      ...(change?.statements ?? []),
      changedEventsSelect(db, change ? [change.changeId] : []),
      db.select({ provider: payments.provider }).from(payments).where(named),
    ]);
    const providers = ((results.at(-1)?.results ?? []) as { provider: string }[]).map((r) => r.provider);
    if (!providers.includes(event.provider)) return providers.length ? "wrong_provider" : "unknown_payment";
    return publishChanged(ctx, results.at(-2));
  } catch (err) {
    if (isDuplicateEvent(err)) return "duplicate";
    throw err;
  }
}
