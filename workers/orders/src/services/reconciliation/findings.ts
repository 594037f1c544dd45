import type { OrderStatus, ReconciliationProblem, ReconciliationRepair } from "@shop/contracts";

/** What a check found, gathered into the run's report. */
export type Findings = { repairs: ReconciliationRepair[]; problems: ReconciliationProblem[] };

/** The order sold (or sold and was refunded): a payment that took money is accounted for. */
export const SOLD: ReadonlySet<OrderStatus> = new Set(["paid", "shipped", "delivered", "refunded"]);
/** Not yet decided: a payment may still turn it into a sale. */
export const UNDECIDED: ReadonlySet<OrderStatus> = new Set(["pending", "awaiting_payment"]);

/** Events may be in flight for this long after a change; younger facts are left to them. */
export const GRACE_MS = 2 * 60_000;
