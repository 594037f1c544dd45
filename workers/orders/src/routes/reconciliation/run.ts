import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import { ReconciliationReport } from "@shop/contracts";
import { problemResponses } from "@shop/runtime";
import { requireAdmin, requireUser } from "../../auth";
import type { OrdersEnv } from "../../env";
import { reconcile } from "../../services/reconciliation/reconcile";
import { json } from "../responses";

export const runReconciliationRoute = createRoute({
  method: "post",
  path: "/orders/reconciliation",
  tags: ["orders"],
  summary: "Admin: run reconciliation now (payments vs orders, overdue orders) and answer its report",
  description:
    "Runs what the 5-minute cron runs. Repairs go through the order saga (a payment fact delivered as a payment event, an overdue order resumed); running it again repairs nothing new.",
  security: [{ bearer: [] }],
  middleware: [requireUser, requireAdmin] as const,
  responses: { 200: json(ReconciliationReport, "The report of this run"), ...problemResponses(401, 403) },
});

/** Registered before `/orders/{id}`, so the literal path wins. */
export const runReconciliationHandler: RouteHandler<typeof runReconciliationRoute, OrdersEnv> = async (c) => {
  c.header("cache-control", "no-store");
  return c.json(await reconcile(c.var.ctx), 200);
};
