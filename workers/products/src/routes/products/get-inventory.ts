import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import { Inventory, ProductIdParams } from "@shop/contracts";
import { problemResponses } from "@shop/runtime";
import { requireAdmin, requireUser } from "../../auth";
import type { ProductsEnv } from "../../env";
import { getInventory } from "../../services/inventory/get-inventory";

export const getInventoryRoute = createRoute({
  method: "get",
  path: "/products/{id}/inventory",
  tags: ["products"],
  summary: "Units on hand and reserved (admin)",
  security: [{ bearer: [] }],
  middleware: [requireUser, requireAdmin] as const,
  request: { params: ProductIdParams },
  responses: {
    200: { description: "The stock now", content: { "application/json": { schema: Inventory } } },
    ...problemResponses(400, 401, 403, 404),
  },
});

export const getInventoryHandler: RouteHandler<typeof getInventoryRoute, ProductsEnv> = async (c) => {
  c.header("cache-control", "no-store");
  return c.json(await getInventory(c.var.ctx, { productId: c.req.valid("param").id }), 200);
};
