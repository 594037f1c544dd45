import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import { AdminProductImageList, ArrangeImagesBody, ProductIdParams } from "@shop/contracts";
import { problemResponses } from "@shop/runtime";
import { requireAdmin, requireUser } from "../../auth";
import type { ProductsEnv } from "../../env";
import { catalogWritten } from "../../http/catalog-cache";
import { arrangeImages } from "../../services/images/arrange-images";
import { CATALOG_WRITE_HEADERS } from "../responses";

export const arrangeImagesRoute = createRoute({
  method: "patch",
  path: "/products/{id}/images",
  tags: ["products"],
  summary: "Reorder a product's images and change their alt texts (admin): list every image once, in order",
  security: [{ bearer: [] }],
  middleware: [requireUser, requireAdmin] as const,
  request: {
    params: ProductIdParams,
    body: { required: true, content: { "application/json": { schema: ArrangeImagesBody } } },
  },
  responses: {
    200: {
      description: "The images in their new order",
      headers: CATALOG_WRITE_HEADERS,
      content: { "application/json": { schema: AdminProductImageList } },
    },
    ...problemResponses(400, 401, 403, 404, 409),
  },
});

export const arrangeImagesHandler: RouteHandler<typeof arrangeImagesRoute, ProductsEnv> = async (c) => {
  const { id } = c.req.valid("param");
  const { images, catalogVersion } = await arrangeImages(c.var.ctx, { productId: id, body: c.req.valid("json") });
  catalogWritten(c, catalogVersion);
  return c.json(images, 200);
};
