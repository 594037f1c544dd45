import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import { AdminVariant, ProductVariantParams, UpdateVariantBody } from "@shop/contracts";
import { problemResponses } from "@shop/runtime";
import { requireAdmin, requireUser } from "../../auth";
import type { ProductsEnv } from "../../env";
import { catalogWritten } from "../../http/catalog-cache";
import { updateVariant } from "../../services/variants/update-variant";
import { CATALOG_WRITE_HEADERS } from "../responses";

export const updateVariantRoute = createRoute({
  method: "patch",
  path: "/products/{id}/variants/{variantId}",
  tags: ["products"],
  summary: "Change a variant's SKU, price, status or weight (admin); archived variants leave the shop",
  security: [{ bearer: [] }],
  middleware: [requireUser, requireAdmin] as const,
  request: {
    params: ProductVariantParams,
    body: { required: true, content: { "application/json": { schema: UpdateVariantBody } } },
  },
  responses: {
    200: {
      description: "Updated",
      headers: CATALOG_WRITE_HEADERS,
      content: { "application/json": { schema: AdminVariant } },
    },
    ...problemResponses(400, 401, 403, 404, 409),
  },
});

export const updateVariantHandler: RouteHandler<typeof updateVariantRoute, ProductsEnv> = async (c) => {
  const { id, variantId } = c.req.valid("param");
  const { variant, catalogVersion } = await updateVariant(c.var.ctx, {
    productId: id,
    variantId,
    patch: c.req.valid("json"),
  });
  catalogWritten(c, catalogVersion);
  return c.json(variant, 200);
};
