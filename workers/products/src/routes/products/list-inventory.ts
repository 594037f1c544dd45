import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import { InventoryList, InventoryQuery } from "@shop/contracts";
import { problemResponses } from "@shop/runtime";
import { requireAdmin, requireUser } from "../../auth";
import type { ProductsEnv } from "../../env";
import { listInventory } from "../../services/inventory/list-inventory";

export const listInventoryRoute = createRoute({
  method: "get",
  path: "/products/inventory",
  tags: ["products"],
  summary: "Units on hand, reserved and available of up to 100 products at once (admin)",
  security: [{ bearer: [] }],
  middleware: [requireUser, requireAdmin] as const,
  request: { query: InventoryQuery },
  responses: {
    200: { description: "The stock now", content: { "application/json": { schema: InventoryList } } },
    ...problemResponses(400, 401, 403),
  },
});

export const listInventoryHandler: RouteHandler<typeof listInventoryRoute, ProductsEnv> = async (c) => {
  c.header("cache-control", "no-store");
  return c.json(await listInventory(c.var.ctx, { productIds: c.req.valid("query").ids }), 200);
};
