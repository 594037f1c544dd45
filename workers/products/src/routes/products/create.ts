import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import { AdminProduct, CreateProductBody } from "@shop/contracts";
import { problemResponses } from "@shop/runtime";
import { requireAdmin, requireUser } from "../../auth";
import type { ProductsEnv } from "../../env";
import { catalogWritten } from "../../http/catalog-cache";
import { createProduct } from "../../services/products/create-product";
import { CATALOG_WRITE_HEADERS } from "../responses";

export const createProductRoute = createRoute({
  method: "post",
  path: "/products",
  tags: ["products"],
  summary: "Create a product with its initial stock (admin)",
  security: [{ bearer: [] }],
  middleware: [requireUser, requireAdmin] as const,
  request: { body: { required: true, content: { "application/json": { schema: CreateProductBody } } } },
  responses: {
    201: {
      description: "Created",
      headers: CATALOG_WRITE_HEADERS,
      content: { "application/json": { schema: AdminProduct } },
    },
    ...problemResponses(400, 401, 403, 409),
  },
});

export const createProductHandler: RouteHandler<typeof createProductRoute, ProductsEnv> = async (c) => {
  const { product, catalogVersion } = await createProduct(c.var.ctx, c.req.valid("json"));
  catalogWritten(c, catalogVersion);
  return c.json(product, 201, { location: `/products/${product.id}`, etag: `"${product.version}"` });
};
