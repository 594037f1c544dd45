import type { CallMeta, Order, PaymentSummary } from "@shop/contracts";
import { and, asc, gt, inArray, isNotNull, lt, type SQL } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { orders } from "../../db/schema";
import type { OrdersBindings } from "../../env";
import { orderStub } from "../orders/order-stub";
import { deliverPaymentFact } from "./deliver-payment-fact";
import { type Findings, GRACE_MS, UNDECIDED } from "./findings";

const PAGE = 50;
/** Orders per run; the rest are still overdue on the next run, which takes them. */
const MAX_PAGES = 4;

export type OverdueCheck = Findings & { checked: number; complete: boolean };

type Env = Pick<OrdersBindings, "DB" | "ORDER" | "PAYMENTS">;
type Row = { id: string; status: string; paymentId: string | null };

/**
 * Check (b): every order still `pending` or `awaiting_payment` past its payment deadline (plus a
 * grace, so the order's own alarm goes first) is settled. Its payment is first brought up to
 * date at the provider (`PAYMENTS.sync`) and the answer delivered as a payment event; then the
 * DO is poked so its due work runs (expiry: cancel the payment, release the stock; or commit).
 * Keyset pages on the order id, bounded per run.
 */
export async function settleOverdueOrders(env: Env, now: Date, meta: CallMeta): Promise<OverdueCheck> {
  const result: OverdueCheck = { repairs: [], problems: [], checked: 0, complete: false };
  const overdue = new Date(now.getTime() - GRACE_MS).toISOString();
  const db = drizzle(env.DB);
  let after: string | null = null;
  for (let pages = 0; pages < MAX_PAGES; pages++) {
    const filters: SQL[] = [
      inArray(orders.status, [...UNDECIDED]),
      isNotNull(orders.paymentDeadline),
      lt(orders.paymentDeadline, overdue),
    ];
    if (after) filters.push(gt(orders.id, after));
    const rows: Row[] = await db
      .select({ id: orders.id, status: orders.status, paymentId: orders.paymentId })
      .from(orders)
      .where(and(...filters))
      .orderBy(asc(orders.id))
      .limit(PAGE);
    for (const row of rows) {
      result.checked++;
      try {
        await settle(env, row, meta, result);
      } catch (err) {
        result.problems.push({
          check: "overdue_order",
          orderId: row.id,
          paymentId: row.paymentId,
          reason: `could not be settled (${String(err)}); the next run retries`,
        });
      }
    }
    if (rows.length < PAGE) {
      result.complete = true;
      return result;
    }
    after = rows[rows.length - 1]?.id ?? null;
  }
  return result;
}

async function settle(env: Env, row: Row, meta: CallMeta, out: Findings): Promise<void> {
  const stub = orderStub(env, row.id);
  // RPC typing cannot express `unknown` detail values; the DO returns exactly an Order.
  const before = (await stub.view()) as Order | null;
  if (!before) {
    out.problems.push({
      check: "overdue_order",
      orderId: row.id,
      paymentId: row.paymentId,
      reason: "the history has this order but its object does not",
    });
    return;
  }
  // The answer to `create` may have been lost before the order stored the payment id.
  const paymentId = row.paymentId ?? before.payment.paymentId ?? (await env.PAYMENTS.forOrder(row.id, meta))?.paymentId;
  const payment: PaymentSummary | null = paymentId ? await env.PAYMENTS.sync(paymentId, meta) : null;
  const outcome = payment ? await deliverPaymentFact(env, payment, before.userId, meta) : null;
  await stub.resume(meta);
  const after = ((await stub.view()) as Order | null) ?? before;
  const base = { check: "overdue_order" as const, orderId: row.id, paymentId: paymentId ?? null };
  const paid = payment ? `payment ${payment.status}` : "no payment";
  if (UNDECIDED.has(after.status)) {
    out.problems.push({
      ...base,
      reason: `still ${after.status} after its deadline (${paid}); its saga retries the next step`,
    });
    return;
  }
  const action =
    before.status !== after.status || outcome === "applied"
      ? `${paid}; settled: ${before.status} → ${after.status}`
      : `${paid}; the order was already ${after.status}, its history caught up`;
  out.repairs.push({ ...base, action, from: row.status, to: after.status });
}
