import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import { AdminVariantList, ProductIdParams, SetOptionsBody } from "@shop/contracts";
import { problemResponses } from "@shop/runtime";
import { requireAdmin, requireUser } from "../../auth";
import type { ProductsEnv } from "../../env";
import { catalogWritten } from "../../http/catalog-cache";
import { setOptions } from "../../services/variants/set-options";
import { CATALOG_WRITE_HEADERS } from "../responses";

export const setOptionsRoute = createRoute({
  method: "put",
  path: "/products/{id}/options",
  tags: ["products"],
  summary: "Set the product's options and their values (admin); a value a variant has cannot go → 409",
  security: [{ bearer: [] }],
  middleware: [requireUser, requireAdmin] as const,
  request: {
    params: ProductIdParams,
    body: { required: true, content: { "application/json": { schema: SetOptionsBody } } },
  },
  responses: {
    200: {
      description: "The options and variants now",
      headers: CATALOG_WRITE_HEADERS,
      content: { "application/json": { schema: AdminVariantList } },
    },
    ...problemResponses(400, 401, 403, 404, 409),
  },
});

export const setOptionsHandler: RouteHandler<typeof setOptionsRoute, ProductsEnv> = async (c) => {
  const { variants, catalogVersion } = await setOptions(c.var.ctx, {
    productId: c.req.valid("param").id,
    body: c.req.valid("json"),
  });
  catalogWritten(c, catalogVersion);
  return c.json(variants, 200);
};
