import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import { MarketList } from "@shop/contracts";
import { problemResponses } from "@shop/runtime";
import type { ProductsEnv } from "../../env";
import { listMarkets } from "../../services/markets/markets";

export const listMarketsRoute = createRoute({
  method: "get",
  path: "/markets",
  tags: ["markets"],
  summary: "The shop's markets: each one's currency and countries, the default one first",
  description:
    "The gateway reads this map to choose a shopper's market from their country (ADR 0032); the storefront lists it in its market selector.",
  responses: {
    200: { description: "Markets", content: { "application/json": { schema: MarketList } } },
    ...problemResponses(503),
  },
});

export const listMarketsHandler: RouteHandler<typeof listMarketsRoute, ProductsEnv> = async (c) => {
  // Small and rarely changed; the gateway keeps it in its isolate for MARKETS_MEMO_MS.
  c.header("cache-control", "public, max-age=60");
  return c.json({ items: await listMarkets(c.var.ctx) }, 200);
};
