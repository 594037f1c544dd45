import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import { AdminProductImageList, ProductIdParams } from "@shop/contracts";
import { problemResponses } from "@shop/runtime";
import { requireAdmin, requireUser } from "../../auth";
import type { ProductsEnv } from "../../env";
import { listImages } from "../../services/images/list-images";

export const listImagesRoute = createRoute({
  method: "get",
  path: "/products/{id}/images",
  tags: ["products"],
  summary: "A product's images with their ids, types and sizes, in display order (admin)",
  security: [{ bearer: [] }],
  middleware: [requireUser, requireAdmin] as const,
  request: { params: ProductIdParams },
  responses: {
    200: { description: "The images", content: { "application/json": { schema: AdminProductImageList } } },
    ...problemResponses(400, 401, 403, 404),
  },
});

export const listImagesHandler: RouteHandler<typeof listImagesRoute, ProductsEnv> = async (c) => {
  const { id } = c.req.valid("param");
  return c.json(await listImages(c.var.ctx, { productId: id }), 200);
};
