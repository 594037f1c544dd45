import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import { AdminVariantList, ProductIdParams } from "@shop/contracts";
import { problemResponses } from "@shop/runtime";
import { requireAdmin, requireUser } from "../../auth";
import type { ProductsEnv } from "../../env";
import { listVariants } from "../../services/variants/list-variants";

export const listVariantsRoute = createRoute({
  method: "get",
  path: "/products/{id}/variants",
  tags: ["products"],
  summary: "The product's options and every variant with its stock, archived ones too (admin)",
  security: [{ bearer: [] }],
  middleware: [requireUser, requireAdmin] as const,
  request: { params: ProductIdParams },
  responses: {
    200: { description: "Options and variants", content: { "application/json": { schema: AdminVariantList } } },
    ...problemResponses(400, 401, 403, 404),
  },
});

export const listVariantsHandler: RouteHandler<typeof listVariantsRoute, ProductsEnv> = async (c) => {
  c.header("cache-control", "no-store");
  return c.json(await listVariants(c.var.ctx, { productId: c.req.valid("param").id }), 200);
};
