import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import { AdminVariant, CreateVariantBody, ProductIdParams } from "@shop/contracts";
import { problemResponses } from "@shop/runtime";
import { requireAdmin, requireUser } from "../../auth";
import type { ProductsEnv } from "../../env";
import { catalogWritten } from "../../http/catalog-cache";
import { createVariant } from "../../services/variants/create-variant";
import { CATALOG_WRITE_HEADERS } from "../responses";

export const createVariantRoute = createRoute({
  method: "post",
  path: "/products/{id}/variants",
  tags: ["products"],
  summary: "Add a variant (one value of each option) with its SKU, price, weight and stock (admin)",
  security: [{ bearer: [] }],
  middleware: [requireUser, requireAdmin] as const,
  request: {
    params: ProductIdParams,
    body: { required: true, content: { "application/json": { schema: CreateVariantBody } } },
  },
  responses: {
    201: {
      description: "Created",
      headers: CATALOG_WRITE_HEADERS,
      content: { "application/json": { schema: AdminVariant } },
    },
    ...problemResponses(400, 401, 403, 404, 409),
  },
});

export const createVariantHandler: RouteHandler<typeof createVariantRoute, ProductsEnv> = async (c) => {
  const { id } = c.req.valid("param");
  const { variant, catalogVersion } = await createVariant(c.var.ctx, { productId: id, body: c.req.valid("json") });
  catalogWritten(c, catalogVersion);
  return c.json(variant, 201, { location: `/products/${id}/variants/${variant.id}` });
};
