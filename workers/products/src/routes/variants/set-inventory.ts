import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import { Inventory, ProductVariantParams, SetInventoryBody } from "@shop/contracts";
import { problemResponses } from "@shop/runtime";
import { requireAdmin, requireUser } from "../../auth";
import type { ProductsEnv } from "../../env";
import { catalogWritten } from "../../http/catalog-cache";
import { setOnHand } from "../../services/inventory/set-on-hand";
import { CATALOG_WRITE_HEADERS } from "../responses";

export const setVariantInventoryRoute = createRoute({
  method: "put",
  path: "/products/{id}/variants/{variantId}/inventory",
  tags: ["products"],
  summary: "Set a variant's units on hand (admin); below its reserved units → 409",
  security: [{ bearer: [] }],
  middleware: [requireUser, requireAdmin] as const,
  request: {
    params: ProductVariantParams,
    body: { required: true, content: { "application/json": { schema: SetInventoryBody } } },
  },
  responses: {
    200: {
      description: "The variant's stock now",
      headers: CATALOG_WRITE_HEADERS,
      content: { "application/json": { schema: Inventory } },
    },
    ...problemResponses(400, 401, 403, 404, 409),
  },
});

export const setVariantInventoryHandler: RouteHandler<typeof setVariantInventoryRoute, ProductsEnv> = async (c) => {
  const { id, variantId } = c.req.valid("param");
  const { inventory, catalogVersion } = await setOnHand(c.var.ctx, {
    productId: id,
    variantId,
    onHand: c.req.valid("json").onHand,
  });
  catalogWritten(c, catalogVersion);
  return c.json(inventory, 200);
};
