import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import { ProductImageParams } from "@shop/contracts";
import { problemResponses } from "@shop/runtime";
import { requireAdmin, requireUser } from "../../auth";
import type { ProductsEnv } from "../../env";
import { catalogWritten } from "../../http/catalog-cache";
import { deleteImage } from "../../services/images/delete-image";
import { CATALOG_WRITE_HEADERS } from "../responses";

export const deleteImageRoute = createRoute({
  method: "delete",
  path: "/products/{id}/images/{imageId}",
  tags: ["products"],
  summary: "Delete a product image (admin): the images after it move up, its URL stops serving",
  security: [{ bearer: [] }],
  middleware: [requireUser, requireAdmin] as const,
  request: { params: ProductImageParams },
  responses: {
    204: { description: "Deleted", headers: CATALOG_WRITE_HEADERS },
    ...problemResponses(400, 401, 403, 404),
  },
});

export const deleteImageHandler: RouteHandler<typeof deleteImageRoute, ProductsEnv> = async (c) => {
  const { id, imageId } = c.req.valid("param");
  const { catalogVersion } = await deleteImage(c.var.ctx, { productId: id, imageId });
  catalogWritten(c, catalogVersion);
  return c.body(null, 204);
};
