import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
// @ts-expect-error plain ESM module shared with the seed
import { png } from "../../workers/products/scripts/seed-images.mjs";
import { screenshot, useBrowser } from "../support/browser";
import { ADMIN, baseUrl, call } from "../support/http";
import { admin, createProduct } from "../support/shop";

/**
 * Product images (ADR 0025) through the gateway: the public URL is immutable and revalidates
 * with 304; an upload larger than the 1 MB JSON limit passes the edge; the storefront shows
 * the images on catalog tiles and in a keyboard-driven gallery, and staff manage them.
 */

const IMMUTABLE = "public, max-age=31536000, immutable";
/** The seeded Stoneware Mug: three generated images (workers/products/scripts/seed-images.mjs). */
const MUG = "prd_01jdseed000000000000000001";
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

type Image = { url: string; alt: string; width?: number; height?: number };

/** A PNG of noise (it does not compress): `size`² pixels, about 3·size² bytes. */
const noisePng = (size: number): Buffer =>
  png(size, () => [Math.random() * 256, Math.random() * 256, Math.random() * 256].map(Math.floor));

async function uploadPng(productId: string, bytes: Buffer, alt: string) {
  const res = await fetch(`${baseUrl()}/products/${productId}/images?alt=${encodeURIComponent(alt)}`, {
    method: "PUT",
    headers: { authorization: `Bearer ${await admin()}`, "content-type": "image/png" },
    body: new Uint8Array(bytes),
  });
  return { status: res.status, headers: res.headers, body: await res.json() };
}

describe("product images over HTTP (through the gateway)", () => {
  it("serves a seeded image with immutable caching and its hash as ETag; If-None-Match gets 304", async () => {
    const mug = await call("GET", `/products/${MUG}`);
    expect(mug.status).toBe(200);
    const images: Image[] = mug.body.images;
    expect(images).toHaveLength(3);
    expect(images[0]).toMatchObject({ alt: expect.stringContaining("Stoneware mug"), width: 96, height: 96 });

    const res = await fetch(`${baseUrl()}${images[0]?.url}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/png");
    expect(res.headers.get("cache-control")).toBe(IMMUTABLE);
    const etag = res.headers.get("etag");
    expect(etag).toMatch(/^"[0-9a-f]{64}"$/);
    // The URL names the bytes: its hash part is the start of the ETag.
    expect(images[0]?.url).toContain(`-${etag?.slice(1, 17)}.png`);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.subarray(0, 8)]).toEqual(PNG_SIGNATURE);

    const again = await fetch(`${baseUrl()}${images[0]?.url}`, { headers: { "if-none-match": etag ?? "" } });
    expect(again.status).toBe(304);
    expect(again.headers.get("etag")).toBe(etag);
    expect(again.headers.get("cache-control")).toBe(IMMUTABLE);
    expect((await again.arrayBuffer()).byteLength).toBe(0);

    const listed = await call("GET", "/products?q=stoneware");
    const tile = listed.body.items.find((p: { id: string }) => p.id === MUG);
    expect(tile.images).toEqual(images);
  });

  it("takes an upload over the 1 MB JSON limit, refuses one over 5 MB, and a deleted image stops serving", async () => {
    const product = await createProduct(5, { name: "Image test vase" });
    const big = noisePng(700);
    expect(big.length).toBeGreaterThan(1024 * 1024);
    const put = await uploadPng(product.id, big, "A vase of noise");
    expect(put.status, JSON.stringify(put.body)).toBe(201);
    const served = await fetch(`${baseUrl()}${put.body.url}`);
    expect(served.status).toBe(200);
    expect(Buffer.from(await served.arrayBuffer()).equals(big)).toBe(true);

    const tooBig = await uploadPng(product.id, noisePng(1400), "Too big");
    expect(tooBig.status).toBe(413);
    expect(tooBig.headers.get("content-type")).toContain("application/problem+json");

    const wrong = await fetch(`${baseUrl()}/products/${product.id}/images`, {
      method: "PUT",
      headers: { authorization: `Bearer ${await admin()}`, "content-type": "image/webp" },
      body: new Uint8Array(big),
    });
    expect(wrong.status).toBe(415);
    expect((await wrong.json()).detail).toMatch(/magic bytes/);

    const token = await admin();
    const del = await call("DELETE", `/products/${product.id}/images/${put.body.id}`, { token });
    expect(del.status).toBe(204);
    expect((await fetch(`${baseUrl()}${put.body.url}`)).status).toBe(404);
  }, 120_000);
});

describe("product images in the storefront (Chromium)", () => {
  const { open } = useBrowser();

  /** Whether an <img> finished loading real pixels. */
  const loaded = (page: Page, selector: string) =>
    page.locator(selector).evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0);

  it("shows images on catalog tiles, a plain tile for a product without any", async () => {
    const { page } = await open();
    await page.goto("/#/products?category=kitchen");
    const mugTile = page.locator(`#product-list > li[data-product-id="${MUG}"]`);
    await mugTile.waitFor();
    const img = mugTile.locator("img.product-img");
    await expect.poll(() => img.getAttribute("src")).toMatch(/^\/images\/prd_01jdseed000000000000000001\//);
    expect(await img.getAttribute("alt")).toContain("Stoneware mug");
    await img.scrollIntoViewIfNeeded();
    await expect.poll(() => loaded(page, `#product-list > li[data-product-id="${MUG}"] img.product-img`)).toBe(true);
    // The Bamboo Cutting Board (seed product 5) has no image: its tile is the placeholder.
    const board = page.locator('#product-list > li[data-product-id="prd_01jdseed000000000000000005"]');
    await expect.poll(() => board.locator(".placeholder").count()).toBe(1);
    await screenshot(page, "product-images-catalog");
  });

  it("the product gallery moves between images with the arrow keys, Home and End", async () => {
    const { page } = await open();
    const { body } = await call("GET", `/products/${MUG}`);
    const urls = (body.images as Image[]).map((i) => i.url);
    await page.goto(`/#/product/${MUG}`);
    const main = page.locator(".gallery-main");
    await main.waitFor();
    await expect.poll(() => main.getAttribute("src")).toBe(urls[0]);
    await expect.poll(() => loaded(page, ".gallery-main")).toBe(true);
    const thumbs = page.locator(".gallery-thumb");
    expect(await thumbs.count()).toBe(3);

    await thumbs.first().focus();
    await page.keyboard.press("ArrowRight");
    await expect.poll(() => main.getAttribute("src")).toBe(urls[1]);
    expect(await page.evaluate(() => document.activeElement?.getAttribute("aria-label"))).toMatch(/^Image 2 of 3/);
    expect(await thumbs.nth(1).getAttribute("aria-current")).toBe("true");
    expect(await page.locator(".gallery-counter").textContent()).toBe("Image 2 of 3");
    await page.keyboard.press("ArrowRight");
    await expect.poll(() => main.getAttribute("src")).toBe(urls[2]);
    await page.keyboard.press("ArrowRight");
    await expect.poll(() => main.getAttribute("src")).toBe(urls[0]);
    await page.keyboard.press("ArrowLeft");
    await expect.poll(() => main.getAttribute("src")).toBe(urls[2]);
    await page.keyboard.press("Home");
    await expect.poll(() => main.getAttribute("src")).toBe(urls[0]);
    await page.keyboard.press("End");
    await expect.poll(() => main.getAttribute("src")).toBe(urls[2]);
    expect(await main.getAttribute("alt")).toBe((body.images as Image[])[2]?.alt);
    // Only the selected thumbnail is a tab stop.
    expect(await thumbs.evaluateAll((ts) => ts.map((t) => (t as HTMLElement).tabIndex))).toEqual([-1, -1, 0]);
    await screenshot(page, "product-images-gallery");
  });

  it("staff upload an image with alt text, reorder and delete it, and shoppers see the result", async () => {
    const name = `Gallery lamp ${Date.now()}`;
    const product = await createProduct(5, { name });
    await uploadPng(
      product.id,
      png(64, (x: number) => [200, 120 + x, 40]),
      "Lamp, lit",
    );
    const staff = await open();
    const page = staff.page;
    await page.goto("/#/login");
    await page.getByLabel("Email").fill(ADMIN.email);
    await page.getByLabel("Password").fill(ADMIN.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL((url) => !url.hash.startsWith("#/login"));
    await page.goto("/#/admin/products");
    await page.getByLabel("Find products").fill(name);
    await page.getByRole("button", { name: "Search" }).click();
    const row = page.locator(`#admin-products tr[data-product-id="${product.id}"]`);
    await row.waitFor();
    await row.locator("summary").click();
    await expect.poll(() => row.locator(".image-item").count()).toBe(1);

    await row.getByLabel(/^Image for/).setInputFiles({
      name: "lamp-off.png",
      mimeType: "image/png",
      buffer: png(64, (_x: number, y: number) => [40, 40, 60 + y]),
    });
    await row.getByLabel("Alt text (what the image shows)").fill("Lamp, switched off");
    await row.getByRole("button", { name: "Upload" }).click();
    await expect.poll(() => row.locator(".image-item").count()).toBe(2);
    await row.getByRole("button", { name: "Move image 2 up" }).click();
    await expect
      .poll(() =>
        row.locator(".image-item input[type=text]").evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value)),
      )
      .toEqual(["Lamp, switched off", "Lamp, lit"]);
    await screenshot(page, "product-images-admin");

    // Shoppers see the new order within the catalog cache's bound (ADR 0022).
    await expect
      .poll(async () => ((await call("GET", `/products/${product.id}`)).body.images as Image[]).map((i) => i.alt), {
        timeout: 10_000,
      })
      .toEqual(["Lamp, switched off", "Lamp, lit"]);

    await row.getByRole("button", { name: "Delete image 1 of" }).click();
    await expect.poll(() => row.locator(".image-item").count()).toBe(1);
    await expect
      .poll(async () => ((await call("GET", `/products/${product.id}`)).body.images as Image[]).map((i) => i.alt), {
        timeout: 10_000,
      })
      .toEqual(["Lamp, lit"]);
  }, 120_000);
});
