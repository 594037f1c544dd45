import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import { MarketPriceList, ProductIdParams, SetMarketPricesBody } from "@shop/contracts";
import { problemResponses } from "@shop/runtime";
import { requireAdmin, requireUser } from "../../auth";
import type { ProductsEnv } from "../../env";
import { catalogWritten } from "../../http/catalog-cache";
import { listMarketPrices, setMarketPrices } from "../../services/markets/markets";
import { CATALOG_WRITE_HEADERS } from "../responses";

export const listMarketPricesRoute = createRoute({
  method: "get",
  path: "/products/{id}/prices",
  tags: ["markets"],
  summary: "The product's variants' prices in every market but the default one (admin)",
  security: [{ bearer: [] }],
  middleware: [requireUser, requireAdmin] as const,
  request: { params: ProductIdParams },
  responses: {
    200: { description: "Prices", content: { "application/json": { schema: MarketPriceList } } },
    ...problemResponses(400, 401, 403, 404),
  },
});

export const listMarketPricesHandler: RouteHandler<typeof listMarketPricesRoute, ProductsEnv> = async (c) => {
  c.header("cache-control", "no-store");
  return c.json({ items: await listMarketPrices(c.var.ctx, c.req.valid("param").id) }, 200);
};

export const setMarketPricesRoute = createRoute({
  method: "put",
  path: "/products/{id}/prices",
  tags: ["markets"],
  summary:
    "Set a product's variants' prices in markets other than the default one (admin); a line without variantId sets every variant, amount null takes it off sale there",
  security: [{ bearer: [] }],
  middleware: [requireUser, requireAdmin] as const,
  request: {
    params: ProductIdParams,
    body: { required: true, content: { "application/json": { schema: SetMarketPricesBody } } },
  },
  responses: {
    200: {
      description: "The product's prices now",
      headers: CATALOG_WRITE_HEADERS,
      content: { "application/json": { schema: MarketPriceList } },
    },
    ...problemResponses(400, 401, 403, 404),
  },
});

export const setMarketPricesHandler: RouteHandler<typeof setMarketPricesRoute, ProductsEnv> = async (c) => {
  const { prices, catalogVersion } = await setMarketPrices(c.var.ctx, {
    productId: c.req.valid("param").id,
    body: c.req.valid("json"),
  });
  catalogWritten(c, catalogVersion);
  return c.json({ items: prices }, 200);
};
