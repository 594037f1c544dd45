import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import { Inventory, ProductIdParams, SetInventoryBody } from "@shop/contracts";
import { problemResponses } from "@shop/runtime";
import { requireAdmin, requireUser } from "../../auth";
import type { ProductsEnv } from "../../env";
import { catalogWritten } from "../../http/catalog-cache";
import { setOnHand } from "../../services/inventory/set-on-hand";
import { CATALOG_WRITE_HEADERS } from "../responses";

export const setInventoryRoute = createRoute({
  method: "put",
  path: "/products/{id}/inventory",
  tags: ["products"],
  summary: "Set the units on hand (admin); below the reserved units → 409",
  security: [{ bearer: [] }],
  middleware: [requireUser, requireAdmin] as const,
  request: {
    params: ProductIdParams,
    body: { required: true, content: { "application/json": { schema: SetInventoryBody } } },
  },
  responses: {
    200: {
      description: "The stock now",
      headers: CATALOG_WRITE_HEADERS,
      content: { "application/json": { schema: Inventory } },
    },
    ...problemResponses(400, 401, 403, 404, 409),
  },
});

export const setInventoryHandler: RouteHandler<typeof setInventoryRoute, ProductsEnv> = async (c) => {
  const { id } = c.req.valid("param");
  const { inventory, catalogVersion } = await setOnHand(c.var.ctx, {
    productId: id,
    onHand: c.req.valid("json").onHand,
  });
  catalogWritten(c, catalogVersion);
  return c.json(inventory, 200);
};
