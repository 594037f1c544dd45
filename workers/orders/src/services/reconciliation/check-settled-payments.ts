import type { CallMeta, Order, OrderStatus, SettledPayment } from "@shop/contracts";
import { inArray } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { orders } from "../../db/schema";
import type { OrdersBindings } from "../../env";
import { orderStub } from "../orders/order-stub";
import { deliverPaymentFact } from "./deliver-payment-fact";
import { type Findings, GRACE_MS, SOLD, UNDECIDED } from "./findings";

const PAGE = 100;
/** Pages per run; a longer backlog resumes from the cursor on the next run. */
const MAX_PAGES = 10;

export type SettledCheck = Findings & {
  checked: number;
  /** True when the feed was read to its end (or to facts still within the grace period). */
  complete: boolean;
  /** Where to resume when not complete. */
  cursor: string | null;
};

type Env = Pick<OrdersBindings, "DB" | "ORDER" | "PAYMENTS">;

/**
 * Check (a): every payment that took money has an order that sold it, or one that is refunding
 * it. The D1 projection answers for almost all of them in one query per page; only the rest are
 * asked of their OrderDO, the authority, and given the payment fact through the saga's own path.
 */
export async function checkSettledPayments(
  env: Env,
  window: { since: string; cursor: string | null },
  now: Date,
  meta: CallMeta,
): Promise<SettledCheck> {
  const result: SettledCheck = { repairs: [], problems: [], checked: 0, complete: false, cursor: window.cursor };
  const youngerThan = new Date(now.getTime() - GRACE_MS).toISOString();
  for (let pages = 0; pages < MAX_PAGES; pages++) {
    let page: Awaited<ReturnType<Env["PAYMENTS"]["settledSince"]>>;
    try {
      page = await env.PAYMENTS.settledSince({ since: window.since, cursor: result.cursor, limit: PAGE }, meta);
    } catch (err) {
      result.problems.push({
        check: "settled_payment",
        orderId: null,
        paymentId: null,
        reason: `payments could not be read (${String(err)}); the next run resumes here`,
      });
      return result;
    }
    // Oldest change first: from the first fact within the grace period on, events may still be
    // on their way, and the next run (which starts before this one's start) sees them.
    const ripe = page.items.filter((p) => p.updatedAt <= youngerThan);
    await checkPage(env, ripe, meta, result);
    result.checked += ripe.length;
    if (ripe.length < page.items.length || !page.nextCursor) {
      result.complete = true;
      result.cursor = null;
      return result;
    }
    result.cursor = page.nextCursor;
  }
  return result;
}

async function checkPage(env: Env, items: SettledPayment[], meta: CallMeta, out: Findings): Promise<void> {
  if (items.length === 0) return;
  const rows = await drizzle(env.DB)
    .select({ id: orders.id, status: orders.status })
    .from(orders)
    .where(
      inArray(
        orders.id,
        items.map((p) => p.orderId),
      ),
    );
  const projected = new Map(rows.map((r) => [r.id, r.status as OrderStatus]));
  for (const payment of items) {
    if (accountedFor(projected.get(payment.orderId), payment)) continue;
    try {
      await repair(env, payment, meta, out);
    } catch (err) {
      out.problems.push({
        check: "settled_payment",
        orderId: payment.orderId,
        paymentId: payment.paymentId,
        reason: `the order could not be reached (${String(err)}); the next run retries`,
      });
    }
  }
}

/** Sold, or closed without a sale with all the money back. */
function accountedFor(status: OrderStatus | undefined, payment: SettledPayment): boolean {
  if (!status) return false;
  return SOLD.has(status) || (payment.status === "refunded" && !UNDECIDED.has(status));
}

async function repair(env: Env, payment: SettledPayment, meta: CallMeta, out: Findings): Promise<void> {
  const stub = orderStub(env, payment.orderId);
  // RPC typing cannot express `unknown` detail values; the DO returns exactly an Order.
  const before = (await stub.view()) as Order | null;
  const base = { check: "settled_payment" as const, orderId: payment.orderId, paymentId: payment.paymentId };
  if (!before) {
    out.problems.push({
      ...base,
      reason: `payment ${payment.status} (${payment.amount} ${payment.currency}) for an order that does not exist; refund it by hand`,
    });
    return;
  }
  // The projection lags the DO (its outbox drains after the change): the DO may be fine already.
  if (accountedFor(before.status, payment)) return;
  const outcome = await deliverPaymentFact(env, payment, before.userId, meta);
  const after = ((await stub.view()) as Order | null) ?? before;
  const moved = after.status !== before.status;
  if (outcome === null) {
    out.problems.push({ ...base, reason: `payments answered a fact that is not a valid payment event` });
  } else if (SOLD.has(after.status)) {
    if (moved || outcome === "applied") {
      out.repairs.push({
        ...base,
        action: `delivered payment ${payment.status}: ${before.status} → ${after.status}`,
        from: before.status,
        to: after.status,
      });
    }
  } else if (UNDECIDED.has(after.status)) {
    out.problems.push({
      ...base,
      reason: `payment ${payment.status} but the order is still ${after.status} (delivery ${outcome}); its saga retries the next step`,
    });
  } else if (outcome === "applied" || moved) {
    // Closed without a sale: the saga refunds money that arrived after it closed.
    out.repairs.push({
      ...base,
      action: `delivered payment ${payment.status} to a ${after.status} order: automatic refund started`,
      from: before.status,
      to: after.status,
    });
  }
  // Otherwise the saga already had this fact (duplicate/stale): its refund is in progress.
}
