import type { PaymentStatus } from "@shop/contracts";
import { newId } from "@shop/runtime";
import { and, eq, inArray, type SQL, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { payments } from "../../db/schema";
import { paymentEventInsert } from "../events/publish";
import { CLOSED_WITHOUT_MONEY, PREDECESSORS } from "./status";

export type Transition = {
  /** The payment's id, or a subquery that names it inside the batch (null: no change). */
  paymentId: string | SQL;
  to: PaymentStatus;
  failureMessage?: string | null;
  failureCode?: string | null;
  /** Only with `to: "requires_action"`; any other status clears it. */
  nextActionUrl?: string | null;
  providerRef?: string | null;
  traceparent?: string | undefined;
};

/**
 * The two statements of a status change, for one `db.batch` with whatever else must be atomic
 * with it: a conditional UPDATE (only from an allowed predecessor, so it cannot regress) that
 * stamps `last_change_id`, and an outbox INSERT that copies the updated row only if that stamp
 * is there, i.e. exactly when the UPDATE matched. `changeId` doubles as the event id.
 *
 * A success is also accepted on a payment we had recorded failed or cancelled: the gateway took
 * the money after all (a cancel that never reached it, a late authentication). The row records
 * `received_after_close` and the event tells orders, which refunds it. Money is never dropped.
 */
export function transitionStatements(db: Db, t: Transition, now = new Date().toISOString()) {
  const changeId = newId("event");
  const from = t.to === "succeeded" ? [...PREDECESSORS.succeeded, ...CLOSED_WITHOUT_MONEY] : [...PREDECESSORS[t.to]];
  const update = db
    .update(payments)
    .set({
      status: t.to,
      lastChangeId: changeId,
      version: sql`${payments.version} + 1`,
      updatedAt: now,
      nextActionUrl: t.to === "requires_action" ? (t.nextActionUrl ?? null) : null,
      ...(t.to === "succeeded"
        ? {
            receivedAfterClose: sql`CASE WHEN ${payments.status} IN ('failed', 'cancelled') THEN 1 ELSE ${payments.receivedAfterClose} END`,
          }
        : {}),
      ...(t.failureMessage !== undefined ? { failureMessage: t.failureMessage } : {}),
      ...(t.failureCode !== undefined ? { failureCode: t.failureCode } : {}),
      ...(t.providerRef ? { providerRef: sql`coalesce(${payments.providerRef}, ${t.providerRef})` } : {}),
    })
    .where(and(eq(payments.id, t.paymentId), inArray(payments.status, from)));
  return { changeId, statements: [update, paymentEventInsert(t.paymentId, changeId, now, t.traceparent)] as const };
}
