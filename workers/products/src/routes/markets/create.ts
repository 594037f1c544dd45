import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import { CreateMarketBody, Market } from "@shop/contracts";
import { problemResponses } from "@shop/runtime";
import { requireAdmin, requireUser } from "../../auth";
import type { ProductsEnv } from "../../env";
import { catalogWritten } from "../../http/catalog-cache";
import { createMarket } from "../../services/markets/markets";
import { CATALOG_WRITE_HEADERS } from "../responses";

export const createMarketRoute = createRoute({
  method: "post",
  path: "/markets",
  tags: ["markets"],
  summary: "Create a market: a currency and the countries it serves (admin); it sells nothing until prices are set",
  security: [{ bearer: [] }],
  middleware: [requireUser, requireAdmin] as const,
  request: { body: { required: true, content: { "application/json": { schema: CreateMarketBody } } } },
  responses: {
    201: {
      description: "Created",
      headers: CATALOG_WRITE_HEADERS,
      content: { "application/json": { schema: Market } },
    },
    ...problemResponses(400, 401, 403, 409),
  },
});

export const createMarketHandler: RouteHandler<typeof createMarketRoute, ProductsEnv> = async (c) => {
  const { market, catalogVersion } = await createMarket(c.var.ctx, c.req.valid("json"));
  catalogWritten(c, catalogVersion);
  return c.json(market, 201);
};
