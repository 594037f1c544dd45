import { createRoute, type RouteHandler, z } from "@hono/zod-openapi";
import { AdminProduct, ProductIdParams, UpdateProductBody } from "@shop/contracts";
import { problemResponses } from "@shop/runtime";
import { requireAdmin, requireUser } from "../../auth";
import type { ProductsEnv } from "../../env";
import { catalogWritten } from "../../http/catalog-cache";
import { expectedVersion } from "../../http/if-match";
import { updateProduct } from "../../services/products/update-product";
import { CATALOG_WRITE_HEADERS } from "../responses";

export const updateProductRoute = createRoute({
  method: "patch",
  path: "/products/{id}",
  tags: ["products"],
  summary: "Change a product (admin); If-Match with the version read is required",
  security: [{ bearer: [] }],
  middleware: [requireUser, requireAdmin] as const,
  request: {
    params: ProductIdParams,
    headers: z.object({ "if-match": z.string().max(200).optional() }),
    body: { required: true, content: { "application/json": { schema: UpdateProductBody } } },
  },
  responses: {
    200: {
      description: "Updated",
      headers: CATALOG_WRITE_HEADERS,
      content: { "application/json": { schema: AdminProduct } },
    },
    ...problemResponses(400, 401, 403, 404, 409, 412, 428),
  },
});

export const updateProductHandler: RouteHandler<typeof updateProductRoute, ProductsEnv> = async (c) => {
  const { id } = c.req.valid("param");
  // `If-Match: *` names no version: -1 matches none, so the update is refused as stale.
  const version = expectedVersion(c.req.valid("header")["if-match"], true) ?? -1;
  const { product, catalogVersion } = await updateProduct(c.var.ctx, {
    id,
    expectedVersion: version,
    patch: c.req.valid("json"),
  });
  catalogWritten(c, catalogVersion);
  return c.json(product, 200, { etag: `"${product.version}"` });
};
