import { createRoute, type RouteHandler, z } from "@hono/zod-openapi";
import { ProductIdParams } from "@shop/contracts";
import { problemResponses } from "@shop/runtime";
import { requireAdmin, requireUser } from "../../auth";
import type { ProductsEnv } from "../../env";
import { catalogWritten } from "../../http/catalog-cache";
import { expectedVersion } from "../../http/if-match";
import { archiveProduct } from "../../services/products/archive-product";
import { CATALOG_WRITE_HEADERS } from "../responses";

export const archiveProductRoute = createRoute({
  method: "delete",
  path: "/products/{id}",
  tags: ["products"],
  summary: "Archive a product (admin): shoppers stop seeing it, existing orders keep their snapshots",
  security: [{ bearer: [] }],
  middleware: [requireUser, requireAdmin] as const,
  request: { params: ProductIdParams, headers: z.object({ "if-match": z.string().max(200).optional() }) },
  responses: {
    204: { description: "Archived (also when it already was)", headers: CATALOG_WRITE_HEADERS },
    ...problemResponses(400, 401, 403, 404, 412),
  },
});

export const archiveProductHandler: RouteHandler<typeof archiveProductRoute, ProductsEnv> = async (c) => {
  const { id } = c.req.valid("param");
  const { catalogVersion } = await archiveProduct(c.var.ctx, {
    id,
    expectedVersion: expectedVersion(c.req.valid("header")["if-match"], false),
  });
  catalogWritten(c, catalogVersion);
  return c.body(null, 204);
};
