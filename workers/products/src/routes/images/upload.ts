import { createRoute, type RouteHandler, z } from "@hono/zod-openapi";
import { AdminProductImage, IMAGE_TYPES, MAX_IMAGE_BYTES, ProductIdParams, UploadImageQuery } from "@shop/contracts";
import { problemResponses } from "@shop/runtime";
import { requireAdmin, requireUser } from "../../auth";
import type { ProductsEnv } from "../../env";
import { catalogWritten } from "../../http/catalog-cache";
import { readImageUpload } from "../../http/image-upload";
import { uploadImage } from "../../services/images/upload-image";
import { CATALOG_WRITE_HEADERS } from "../responses";

/** Method and path of the upload, for the runtime's raw-body allowance (see app.ts). */
export const IMAGE_UPLOAD = { method: "PUT", path: /^\/products\/[^/]+\/images$/, maxBytes: MAX_IMAGE_BYTES };

const binary = z.string().meta({ format: "binary" });

export const uploadImageRoute = createRoute({
  method: "put",
  path: "/products/{id}/images",
  tags: ["products"],
  summary: "Upload a product image (admin): the raw bytes as the body, ≤ 5 MB, ≤ 10 per product, added last",
  description:
    "JPEG, PNG or WebP, checked by its magic bytes against Content-Type. `alt` is the text shoppers' screen readers say. The image's `url` is content-addressed and served with immutable caching.",
  security: [{ bearer: [] }],
  middleware: [requireUser, requireAdmin] as const,
  request: {
    params: ProductIdParams,
    query: UploadImageQuery,
    body: {
      required: true,
      content: Object.fromEntries(Object.keys(IMAGE_TYPES).map((type) => [type, { schema: binary }])),
    },
  },
  responses: {
    201: {
      description: "Stored; shoppers see it after the product's other images",
      headers: CATALOG_WRITE_HEADERS,
      content: { "application/json": { schema: AdminProductImage } },
    },
    ...problemResponses(400, 401, 403, 404, 409, 413, 415),
  },
});

export const uploadImageHandler: RouteHandler<typeof uploadImageRoute, ProductsEnv> = async (c) => {
  const { id } = c.req.valid("param");
  const { alt } = c.req.valid("query");
  const upload = await readImageUpload(c);
  const { image, catalogVersion } = await uploadImage(c.var.ctx, { productId: id, alt, ...upload });
  catalogWritten(c, catalogVersion);
  return c.json(image, 201, { location: image.url });
};
