import { z } from "zod";
import { idSchema, OrderId, PaymentId } from "./ids";

/**
 * What orders' reconciliation found and did in one run (`POST/GET /orders/reconciliation`, admin).
 * Two checks: every payment that took money has an order that sold or is refunding it
 * (`settled_payment`), and every order past its payment deadline is settled (`overdue_order`).
 * Repairs go through the order saga's own commands; what could not be repaired is a problem.
 */
export const ReconciliationCheck = z.enum(["settled_payment", "overdue_order"]);
export type ReconciliationCheck = z.infer<typeof ReconciliationCheck>;

export const ReconciliationRepair = z
  .object({
    check: ReconciliationCheck,
    orderId: OrderId,
    paymentId: PaymentId.nullable(),
    /** What was done, e.g. "delivered payment succeeded: awaiting_payment → paid". */
    action: z.string(),
    /** The order's status before and after the repair. */
    from: z.string().nullable(),
    to: z.string().nullable(),
  })
  .meta({ id: "ReconciliationRepair" });
export type ReconciliationRepair = z.infer<typeof ReconciliationRepair>;

export const ReconciliationProblem = z
  .object({
    check: ReconciliationCheck,
    orderId: OrderId.nullable(),
    paymentId: PaymentId.nullable(),
    /** Why it is still wrong (and, when known, what will retry it). */
    reason: z.string(),
  })
  .meta({ id: "ReconciliationProblem" });
export type ReconciliationProblem = z.infer<typeof ReconciliationProblem>;

export const ReconciliationReport = z
  .object({
    id: idSchema("reconciliation"),
    startedAt: z.iso.datetime(),
    finishedAt: z.iso.datetime(),
    /** Settled payments changed at or after this time were checked. */
    paymentsSince: z.iso.datetime(),
    paymentsChecked: z.int().min(0),
    ordersChecked: z.int().min(0),
    /** False when a bounded batch left work for the next run (it resumes where this one stopped). */
    complete: z.boolean(),
    repairs: z.array(ReconciliationRepair),
    problems: z.array(ReconciliationProblem),
  })
  .meta({ id: "ReconciliationReport" });
export type ReconciliationReport = z.infer<typeof ReconciliationReport>;
