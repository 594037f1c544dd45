import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import { CategoryList } from "@shop/contracts";
import { problemResponses } from "@shop/runtime";
import type { ProductsEnv } from "../../env";
import { serveCatalog } from "../../http/catalog-cache";
import { listCategories } from "../../services/categories/list-categories";
import { CACHE_HEADERS } from "../responses";

export const listCategoriesRoute = createRoute({
  method: "get",
  path: "/categories",
  tags: ["products"],
  summary: "All categories",
  responses: {
    200: {
      description: "The categories, by name",
      headers: CACHE_HEADERS,
      content: { "application/json": { schema: CategoryList } },
    },
    304: { description: "Not modified (If-None-Match)" },
    ...problemResponses(503),
  },
});

export const listCategoriesHandler: RouteHandler<typeof listCategoriesRoute, ProductsEnv> = async (c) =>
  serveCatalog(c, async () => {
    const { version, items } = await listCategories(c.var.ctx);
    return { version, body: { items } };
  });
