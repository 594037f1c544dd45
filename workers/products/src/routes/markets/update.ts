import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import { Market, MarketParams, UpdateMarketBody } from "@shop/contracts";
import { problemResponses } from "@shop/runtime";
import { requireAdmin, requireUser } from "../../auth";
import type { ProductsEnv } from "../../env";
import { catalogWritten } from "../../http/catalog-cache";
import { updateMarket } from "../../services/markets/markets";
import { CATALOG_WRITE_HEADERS } from "../responses";

export const updateMarketRoute = createRoute({
  method: "patch",
  path: "/markets/{code}",
  tags: ["markets"],
  summary: "Rename a market or change its countries (admin); its currency is fixed",
  security: [{ bearer: [] }],
  middleware: [requireUser, requireAdmin] as const,
  request: {
    params: MarketParams,
    body: { required: true, content: { "application/json": { schema: UpdateMarketBody } } },
  },
  responses: {
    200: {
      description: "Updated",
      headers: CATALOG_WRITE_HEADERS,
      content: { "application/json": { schema: Market } },
    },
    ...problemResponses(400, 401, 403, 404, 409),
  },
});

export const updateMarketHandler: RouteHandler<typeof updateMarketRoute, ProductsEnv> = async (c) => {
  const { market, catalogVersion } = await updateMarket(c.var.ctx, {
    code: c.req.valid("param").code,
    patch: c.req.valid("json"),
  });
  catalogWritten(c, catalogVersion);
  return c.json(market, 200);
};
