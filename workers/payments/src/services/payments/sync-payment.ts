import type { PaymentSummary } from "@shop/contracts";
import { eq } from "drizzle-orm";
import { payments } from "../../db/schema";
import type { PaymentsContext } from "../../env";
import type { IntentState } from "../providers/provider";
import { type ApplyResult, applyProviderEvent, type ProviderEvent } from "./apply-provider-event";
import { paymentProvider } from "./gateway";
import { findPayment } from "./get";
import { OPEN_STATUSES } from "./status";
import { type PaymentRow, toSummary } from "./summary";

/**
 * What one provider check did: `applied` (the payment moved), `duplicate`/`no_change` (already
 * known), `no_news` (the intent is where we have it, or still waits for the shopper),
 * `no_intent` (nothing reached the gateway), `other_provider` (this payment belongs to a gateway
 * this deployment does not talk to).
 */
export type SyncOutcome = ApplyResult | "no_news" | "no_intent" | "other_provider" | "not_open";

/** Intent states that say something a payment can move to; the others are waits. */
const REPORTABLE = new Set<IntentState["status"]>(["processing", "succeeded", "failed", "cancelled"]);

/**
 * How long before the sync job asks about this payment again: a quarter of its age, between
 * 2 minutes and an hour — soon for a card that should have settled at once, rarely for a bank
 * debit that takes days.
 */
function nextSyncDelayMs(row: Pick<PaymentRow, "createdAt">, now: Date): number {
  const age = now.getTime() - Date.parse(row.createdAt);
  return Math.min(60 * 60_000, Math.max(2 * 60_000, Math.floor(age / 4)));
}

/**
 * Asks the provider where an open payment's intent stands (by reference, or by order when the
 * answer to create was lost before we stored one) and applies the answer through
 * `applyProviderEvent`, the one function every gateway outcome goes through. The synthetic event
 * id is a function of the payment and the status, so however many times this runs (cron, RPC,
 * both at once) a given state is applied once, and an event Stripe delivers late still applies
 * only if it moves the payment forward.
 */
export async function syncPayment(ctx: PaymentsContext, row: PaymentRow): Promise<SyncOutcome> {
  const now = new Date(ctx.meta.now);
  if (!OPEN_STATUSES.includes(row.status)) return "not_open";
  const provider = paymentProvider(ctx);
  if (row.provider !== provider.name) return "other_provider";
  try {
    const state = row.providerRef ? await provider.retrieve(row.providerRef) : await provider.findByOrder(row.orderId);
    if (!state) return "no_intent";
    if (!REPORTABLE.has(state.status) || state.status === row.status) return "no_news";
    const event: ProviderEvent = {
      id: `sync:${row.id}:${state.status}`,
      provider: row.provider,
      type: `sync.payment_intent.${state.status}`,
      paymentId: row.id,
      providerRef: state.providerRef,
      status: state.status as NonNullable<ProviderEvent["status"]>,
      failureMessage: state.failureMessage,
      failureCode: state.failureCode,
    };
    return await applyProviderEvent(ctx, event);
  } finally {
    // Whatever the answer (an outage included), this payment waits its turn before the next check.
    await ctx.db
      .update(payments)
      .set({ nextSyncAt: new Date(now.getTime() + nextSyncDelayMs(row, now)).toISOString() })
      .where(eq(payments.id, row.id));
  }
}

/** `PaymentsRpc.sync`: checks one payment now, whatever its turn, and returns it afterwards. */
export async function syncPaymentNow(
  ctx: PaymentsContext,
  { paymentId }: { paymentId: string },
): Promise<PaymentSummary | null> {
  const row = await findPayment(ctx.db, paymentId);
  if (!row) return null;
  await syncPayment(ctx, row);
  const after = await findPayment(ctx.db, paymentId);
  return after ? toSummary(after) : null;
}
