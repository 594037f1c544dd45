import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import { ReconciliationReport } from "@shop/contracts";
import { problemResponses } from "@shop/runtime";
import { requireAdmin, requireUser } from "../../auth";
import type { OrdersEnv } from "../../env";
import { getLastReport } from "../../services/reconciliation/get-last-report";
import { json } from "../responses";

export const getReconciliationRoute = createRoute({
  method: "get",
  path: "/orders/reconciliation",
  tags: ["orders"],
  summary: "Admin: the report of the last reconciliation run (404 before the first)",
  security: [{ bearer: [] }],
  middleware: [requireUser, requireAdmin] as const,
  responses: { 200: json(ReconciliationReport, "The last report"), ...problemResponses(401, 403, 404) },
});

/** Registered before `/orders/{id}`, so the literal path wins. */
export const getReconciliationHandler: RouteHandler<typeof getReconciliationRoute, OrdersEnv> = async (c) => {
  c.header("cache-control", "no-store");
  return c.json(await getLastReport(c.var.ctx), 200);
};
