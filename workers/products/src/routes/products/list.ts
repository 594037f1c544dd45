import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import { ListProductsQuery, ProductPage } from "@shop/contracts";
import { problemResponses } from "@shop/runtime";
import type { ProductsEnv } from "../../env";
import { serveCatalog } from "../../http/catalog-cache";
import { listProducts } from "../../services/products/list-products";
import { CACHE_HEADERS } from "../responses";

export const listProductsRoute = createRoute({
  method: "get",
  path: "/products",
  tags: ["products"],
  summary: "Browse and search the catalog (full-text q, category, price range, sort, cursor pages)",
  request: { query: ListProductsQuery },
  responses: {
    200: {
      description: "A page of products",
      headers: CACHE_HEADERS,
      content: { "application/json": { schema: ProductPage } },
    },
    304: { description: "Not modified (If-None-Match)" },
    ...problemResponses(400, 503),
  },
});

export const listProductsHandler: RouteHandler<typeof listProductsRoute, ProductsEnv> = async (c) => {
  const query = c.req.valid("query");
  return serveCatalog(c, async () => {
    const { version, page } = await listProducts(c.var.ctx, query);
    return { version, body: page };
  });
};
