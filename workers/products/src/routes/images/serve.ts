import { createRoute, type RouteHandler, z } from "@hono/zod-openapi";
import { ProductId } from "@shop/contracts";
import { problemResponses } from "@shop/runtime";
import type { ProductsEnv } from "../../env";
import { readImage } from "../../services/images/read-image";
import { IMMUTABLE } from "../../services/images/upload-image";

const ImageFileParams = z.object({
  productId: ProductId,
  file: z
    .string()
    .regex(/^img_[0-9a-hjkmnp-tv-z]{26}-[0-9a-f]{16}\.(jpg|png|webp)$/, "must be an image file name this API gave")
    .meta({ example: "img_01jd8x3v4k2m9q7r5t6w8y0zac-3f2a9c1b7d4e6f80.png" }),
});

export const serveImageRoute = createRoute({
  method: "get",
  path: "/images/{productId}/{file}",
  tags: ["products"],
  summary: "An uploaded product image: its URL names its bytes, so it is cached for a year (immutable)",
  request: { params: ImageFileParams, headers: z.object({ "if-none-match": z.string().max(500).optional() }) },
  responses: {
    200: {
      description: "The image",
      headers: {
        etag: { schema: { type: "string" as const }, description: "The SHA-256 of the bytes" },
        "cache-control": { schema: { type: "string" as const } },
      },
      content: {
        "image/jpeg": { schema: z.string().meta({ format: "binary" }) },
        "image/png": { schema: z.string().meta({ format: "binary" }) },
        "image/webp": { schema: z.string().meta({ format: "binary" }) },
      },
    },
    304: { description: "Not modified (If-None-Match)" },
    ...problemResponses(400, 404),
  },
});

const matches = (ifNoneMatch: string | undefined, etag: string) =>
  ifNoneMatch?.split(",").some((t) => {
    const tag = t.trim().replace(/^W\//, "");
    return tag === "*" || tag === etag;
  }) ?? false;

export const serveImageHandler: RouteHandler<typeof serveImageRoute, ProductsEnv> = async (c) => {
  const { productId, file } = c.req.valid("param");
  const ifNoneMatch = c.req.valid("header")["if-none-match"];
  const etagOf = (sha256: string) => `"${sha256}"`;
  // The ETag is known from the row: a revalidation that matches reads nothing from R2.
  const image = await readImage(c.var.ctx, {
    r2Key: `${productId}/${file}`,
    needsBody: (sha256) => !matches(ifNoneMatch, etagOf(sha256)),
  });
  const headers = { etag: etagOf(image.sha256), "cache-control": IMMUTABLE };
  if (!image.body) return c.body(null, 304, headers);
  return c.body(image.body, 200, {
    ...headers,
    "content-type": image.contentType,
    "content-length": String(image.bytes),
  });
};
