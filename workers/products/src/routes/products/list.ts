import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import { ListProductsQuery, ProductPage } from "@shop/contracts";
import { problemResponses } from "@shop/runtime";
import type { ProductsEnv } from "../../env";
import { serveCatalog } from "../../http/catalog-cache";
import { canonicalListQuery } from "../../services/products/catalog-filters";
import { listProducts } from "../../services/products/list-products";
import { CACHE_HEADERS } from "../responses";

export const listProductsRoute = createRoute({
  method: "get",
  path: "/products",
  tags: ["products"],
  summary:
    "Browse and search the catalog with facet counts (full-text q, categories, price bands, in stock, option values such as size and colour, sort, cursor pages)",
  description:
    "Each facet's counts apply every other filter of the query but not its own (ticking one more value widens the list by its count). Filters are edge-cached like the page: equivalent queries (list order, default limit) share one entry.",
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
  return serveCatalog(
    c,
    async () => {
      const { version, page } = await listProducts(c.var.ctx, query);
      return { version, body: page };
    },
    canonicalListQuery(query),
  );
};
