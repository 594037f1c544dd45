import type { AdminProductImage, AdminProductImageList, ProductDetail, ProductPage } from "@shop/contracts";
import { beforeAll, describe, expect, it } from "vitest";
import { createProduct, pngBytes } from "../fixtures";
import { adminHeaders, call, json, sendJson, uniqueWord } from "../http";

let admin: Record<string, string>;

beforeAll(async () => {
  admin = await adminHeaders();
});

function upload(productId: string, bytes: Uint8Array, type = "image/png", alt = "A blue mug") {
  return call(`/products/${productId}/images?alt=${encodeURIComponent(alt)}`, {
    method: "PUT",
    headers: { ...admin, "content-type": type },
    body: bytes,
  });
}

async function uploaded(productId: string, alt = "A blue mug"): Promise<AdminProductImage> {
  const res = await upload(productId, pngBytes(), "image/png", alt);
  expect(res.status, await res.clone().text()).toBe(201);
  return json<AdminProductImage>(res);
}

async function problem(res: Response) {
  expect(res.headers.get("content-type")).toContain("application/problem+json");
  return json<{ code: string; detail: string; errors?: { path: string }[] }>(res);
}

/** The product as a shopper reads it, past any cached copy (the admin's written version). */
async function shopperView(productId: string, catalogVersion: string | null): Promise<Response> {
  return call(`/products/${productId}`, { headers: catalogVersion ? { "x-catalog-version": catalogVersion } : {} });
}

describe("PUT /products/{id}/images", () => {
  it("stores the image with its alt text; the product's readers see it in list and get", async () => {
    const word = uniqueWord();
    const p = await createProduct({ name: `Mug ${word}` });
    expect((await json<ProductDetail>(await call(`/products/${p.id}`))).images).toEqual([]);

    const res = await upload(p.id, pngBytes(40, 30));
    expect(res.status).toBe(201);
    const image = await json<AdminProductImage>(res);
    expect(image).toMatchObject({ alt: "A blue mug", width: 40, height: 30, contentType: "image/png", position: 0 });
    expect(image.id).toMatch(/^img_/);
    expect(image.url).toMatch(new RegExp(`^/images/${p.id}/${image.id}-[0-9a-f]{16}\\.png$`));
    expect(res.headers.get("location")).toBe(image.url);

    const version = res.headers.get("x-catalog-version");
    expect(version).not.toBeNull();
    const detail = await json<ProductDetail>(await shopperView(p.id, version));
    expect(detail.images).toEqual([{ url: image.url, alt: "A blue mug", width: 40, height: 30 }]);
    const page = await json<ProductPage>(
      await call(`/products?q=${word}`, { headers: { "x-catalog-version": version ?? "" } }),
    );
    expect(page.items[0]?.images).toEqual(detail.images);
  });

  it("refuses bytes that are not what Content-Type says (magic bytes) with 415 naming the problem", async () => {
    const p = await createProduct();
    const gif = new TextEncoder().encode("GIF89a\u0001\u0000\u0001\u0000 not really a png");
    const wrong = await upload(p.id, gif, "image/png");
    expect(wrong.status).toBe(415);
    expect((await problem(wrong)).detail).toMatch(/magic bytes do not match image\/png.*not a JPEG, PNG or WebP/);

    const mislabelled = await upload(p.id, pngBytes(), "image/jpeg");
    expect(mislabelled.status).toBe(415);
    expect((await problem(mislabelled)).detail).toMatch(/do not match image\/jpeg: it is image\/png data/);

    const gifType = await upload(p.id, gif, "image/gif");
    expect(gifType.status).toBe(415);
    expect((await problem(gifType)).detail).toMatch(/image\/jpeg, image\/png, image\/webp/);
    expect(
      (await json<AdminProductImageList>(await call(`/products/${p.id}/images`, { headers: admin }))).items,
    ).toEqual([]);
  });

  it("takes JPEG and WebP by their magic bytes, with their sizes", async () => {
    const p = await createProduct();
    // SOI, an APP0 segment of 16 bytes, then SOF0 (height 20, width 50).
    const jpeg = new Uint8Array([
      0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0, 0xff, 0xc0, 0, 17, 8, 0, 20,
      0, 50, 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1, 0xff, 0xd9,
    ]);
    const jpegRes = await upload(p.id, jpeg, "image/jpeg");
    expect(jpegRes.status, await jpegRes.clone().text()).toBe(201);
    expect(await json(jpegRes)).toMatchObject({ contentType: "image/jpeg", width: 50, height: 20 });
    // RIFF…WEBP with a VP8X chunk: canvas 64 × 48 (stored minus one, 24-bit little-endian).
    const webp = new Uint8Array(34);
    webp.set(new TextEncoder().encode("RIFF\u001a\u0000\u0000\u0000WEBPVP8X\n\u0000\u0000\u0000"));
    webp.set([0, 0, 0, 0, 63, 0, 0, 47, 0, 0], 20);
    const webpRes = await upload(p.id, webp, "image/webp");
    expect(webpRes.status, await webpRes.clone().text()).toBe(201);
    const image = await json<AdminProductImage>(webpRes);
    expect(image).toMatchObject({ contentType: "image/webp", width: 64, height: 48, position: 1 });
    expect(image.url).toMatch(/\.webp$/);
  });

  it("refuses an image over 5 MB with 413 naming the limit, and stores nothing", async () => {
    const p = await createProduct();
    const res = await upload(p.id, pngBytes(1, 1, 5 * 1024 * 1024 + 1));
    expect(res.status).toBe(413);
    expect((await problem(res)).detail).toMatch(/5242880 bytes/);
    const list = await json<AdminProductImageList>(await call(`/products/${p.id}/images`, { headers: admin }));
    expect(list.items).toEqual([]);
  });

  it("refuses an 11th image with 409 naming the limit of 10", async () => {
    const p = await createProduct();
    for (let i = 0; i < 10; i++) await uploaded(p.id, `View ${i}`);
    const res = await upload(p.id, pngBytes());
    expect(res.status).toBe(409);
    const body = await problem(res);
    expect(body.detail).toMatch(/at most 10 images/);
    expect(body.errors?.[0]?.path).toBe("images");
    const list = await json<AdminProductImageList>(await call(`/products/${p.id}/images`, { headers: admin }));
    expect(list.items.map((i) => i.position)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it("an unknown product is 404, an empty body 400, an alt text over 300 characters 400", async () => {
    const p = await createProduct();
    expect((await upload("prd_01jd8x3v4k2m9q7r5t6w8y0zzz", pngBytes())).status).toBe(404);
    expect((await upload(p.id, new Uint8Array(0))).status).toBe(400);
    const long = await upload(p.id, pngBytes(), "image/png", "x".repeat(301));
    expect(long.status).toBe(400);
    expect((await problem(long)).errors?.[0]?.path).toBe("alt");
  });
});

describe("PATCH /products/{id}/images", () => {
  it("reorders the images and changes alt texts; shoppers see the new order", async () => {
    const p = await createProduct();
    const [a, b, c] = [await uploaded(p.id, "Front"), await uploaded(p.id, "Side"), await uploaded(p.id, "Back")];
    const res = await sendJson(
      "PATCH",
      `/products/${p.id}/images`,
      { images: [{ id: c.id }, { id: a.id, alt: "Front, lid on" }, { id: b.id }] },
      admin,
    );
    expect(res.status).toBe(200);
    const list = await json<AdminProductImageList>(res);
    expect(list.items.map((i) => [i.id, i.position, i.alt])).toEqual([
      [c.id, 0, "Back"],
      [a.id, 1, "Front, lid on"],
      [b.id, 2, "Side"],
    ]);
    const detail = await json<ProductDetail>(await shopperView(p.id, res.headers.get("x-catalog-version")));
    expect(detail.images.map((i) => [i.url, i.alt])).toEqual([
      [c.url, "Back"],
      [a.url, "Front, lid on"],
      [b.url, "Side"],
    ]);
  });

  it("refuses a list that leaves an image out or names another product's image (409), changing nothing", async () => {
    const p = await createProduct();
    const other = await createProduct();
    const [a, b] = [await uploaded(p.id, "One"), await uploaded(p.id, "Two")];
    const stranger = await uploaded(other.id);
    for (const images of [[{ id: b.id }], [{ id: b.id }, { id: stranger.id }]]) {
      const res = await sendJson("PATCH", `/products/${p.id}/images`, { images }, admin);
      expect(res.status).toBe(409);
      expect((await problem(res)).detail).toMatch(/every image of the product exactly once/);
    }
    const twice = await sendJson("PATCH", `/products/${p.id}/images`, { images: [{ id: a.id }, { id: a.id }] }, admin);
    expect(twice.status).toBe(400);
    const list = await json<AdminProductImageList>(await call(`/products/${p.id}/images`, { headers: admin }));
    expect(list.items.map((i) => i.id)).toEqual([a.id, b.id]);
  });
});

describe("DELETE /products/{id}/images/{imageId}", () => {
  it("removes the image: the rest move up, shoppers stop seeing it and its URL answers 404", async () => {
    const p = await createProduct();
    const [a, b, c] = [await uploaded(p.id, "A"), await uploaded(p.id, "B"), await uploaded(p.id, "C")];
    expect((await call(b.url)).status).toBe(200);
    const res = await call(`/products/${p.id}/images/${b.id}`, { method: "DELETE", headers: admin });
    expect(res.status).toBe(204);
    const detail = await json<ProductDetail>(await shopperView(p.id, res.headers.get("x-catalog-version")));
    expect(detail.images.map((i) => i.url)).toEqual([a.url, c.url]);
    const list = await json<AdminProductImageList>(await call(`/products/${p.id}/images`, { headers: admin }));
    expect(list.items.map((i) => [i.id, i.position])).toEqual([
      [a.id, 0],
      [c.id, 1],
    ]);
    const gone = await call(b.url);
    expect(gone.status).toBe(404);
    expect(gone.headers.get("content-type")).toContain("application/problem+json");
    const again = await call(`/products/${p.id}/images/${b.id}`, { method: "DELETE", headers: admin });
    expect(again.status).toBe(404);
  });

  it("an image id of another product is 404 and leaves that image alone", async () => {
    const p = await createProduct();
    const other = await createProduct();
    const theirs = await uploaded(other.id);
    expect((await call(`/products/${p.id}/images/${theirs.id}`, { method: "DELETE", headers: admin })).status).toBe(
      404,
    );
    expect((await call(theirs.url)).status).toBe(200);
  });
});

describe("GET /images/{productId}/{file}", () => {
  it("serves the bytes with immutable caching and the content hash as ETag; a matching If-None-Match is 304", async () => {
    const p = await createProduct();
    const bytes = pngBytes(8, 8, 200);
    const put = await upload(p.id, bytes);
    const image = await json<AdminProductImage>(put);
    const res = await call(image.url);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/png");
    expect(res.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    const etag = res.headers.get("etag");
    const sha = [...new Uint8Array(await crypto.subtle.digest("SHA-256", bytes))]
      .map((x) => x.toString(16).padStart(2, "0"))
      .join("");
    expect(etag).toBe(`"${sha}"`);
    expect(image.url).toContain(`-${sha.slice(0, 16)}.png`);
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(bytes);

    const revalidated = await call(image.url, { headers: { "if-none-match": etag ?? "" } });
    expect(revalidated.status).toBe(304);
    expect(revalidated.headers.get("etag")).toBe(etag);
    expect(await revalidated.text()).toBe("");
    const changed = await call(image.url, { headers: { "if-none-match": '"something-else"' } });
    expect(changed.status).toBe(200);
    await changed.body?.cancel();
  });

  it("stops serving the images of an archived product (its page is gone too)", async () => {
    const p = await createProduct();
    const image = await uploaded(p.id);
    expect((await call(image.url)).status).toBe(200);
    const archived = await call(`/products/${p.id}`, { method: "DELETE", headers: admin });
    expect(archived.status).toBe(204);
    expect((await call(image.url)).status).toBe(404);
    expect((await shopperView(p.id, archived.headers.get("x-catalog-version"))).status).toBe(404);
  });

  it("answers 404 for a file name no upload gave and 400 for one that is not an image file name", async () => {
    const p = await createProduct();
    expect((await call(`/images/${p.id}/img_01jd8x3v4k2m9q7r5t6w8y0zac-0123456789abcdef.png`)).status).toBe(404);
    expect((await call(`/images/${p.id}/..%2F..%2Fsecret.png`)).status).toBe(400);
  });
});
