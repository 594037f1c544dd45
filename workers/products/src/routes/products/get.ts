import { createRoute, type RouteHandler, z } from "@hono/zod-openapi";
import { MarketCode, ProductDetail, ProductIdParams } from "@shop/contracts";
import { problemResponses } from "@shop/runtime";
import type { ProductsEnv } from "../../env";
import { serveCatalog } from "../../http/catalog-cache";
import { getProduct } from "../../services/products/get-product";
import { CACHE_HEADERS } from "../responses";

const ProductQuery = z.object({
  market: MarketCode.optional().meta({ description: "Prices in this market (ADR 0032); default: the default market" }),
});

export const getProductRoute = createRoute({
  method: "get",
  path: "/products/{id}",
  tags: ["products"],
  summary: "One product with its available quantity (archived products are not found)",
  request: { params: ProductIdParams, query: ProductQuery },
  responses: {
    200: {
      description: "The product",
      headers: CACHE_HEADERS,
      content: { "application/json": { schema: ProductDetail } },
    },
    304: { description: "Not modified (If-None-Match)" },
    ...problemResponses(400, 404, 503),
  },
});

export const getProductHandler: RouteHandler<typeof getProductRoute, ProductsEnv> = async (c) => {
  const { id } = c.req.valid("param");
  const { market } = c.req.valid("query");
  // The entry is the page's in this market: `/products/{id}?market=eu` (ADR 0032).
  return serveCatalog(c, async () => {
    const { version, product } = await getProduct(c.var.ctx, { id, market });
    // The product version leads, so this ETag also works as an admin's If-Match.
    return { version, body: product, etagPrefix: `${product.version}.` };
  });
};
