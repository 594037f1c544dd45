import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { screenshot, signIn, useBrowser } from "../support/browser";
import { ADMIN, registerAndLogin } from "../support/http";
import { nextActionUrl } from "../support/payments";
import { addToCart, createProduct, placeOrder, stockOf } from "../support/shop";

// The admin pages show the truth: each product's units on hand, held for open orders and
// available (the stock field starts from what is on hand), each order's customer by name and
// email, and every page's heading says what its tab says.

const SHOP = "Shop at the edge";

/** The tab's title and the page's heading, once the page at `hash` has settled. */
async function headingAndTitle(page: Page, hash: string, want: string) {
  await page.evaluate((h) => {
    location.hash = h;
  }, hash);
  await expect.poll(() => page.locator("main h1").textContent(), { timeout: 10_000 }).toBe(want);
  await expect.poll(() => page.title()).toBe(`${want} · ${SHOP}`);
}

describe("admin pages", () => {
  const browser = useBrowser();

  it("products show on hand, reserved and available; the stock field starts from on hand", async () => {
    const name = `Held Lantern ${Date.now().toString(36)}`;
    const product = await createProduct(6, { name });
    const buyer = await registerAndLogin("admintruth");
    await addToCart(buyer.accessToken, product.id, 2);
    // 3-D Secure left unanswered: the order waits, its two units held.
    const placed = await placeOrder(buyer.accessToken, `admin-truth-${Date.now()}`, "pm_card_authenticationRequired");
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);
    await nextActionUrl(buyer.accessToken, placed.body.id);
    expect(await stockOf(product.id)).toEqual({ productId: product.id, onHand: 6, reserved: 2, available: 4 });

    const shopper = await browser.open();
    const { page } = shopper;
    await signIn(page, ADMIN);
    await headingAndTitle(page, "#/admin/products", "Admin: products");
    await page.getByLabel("Find products").fill(name);
    await page.getByRole("button", { name: "Search" }).click();
    const row = page.locator(`#admin-products tr[data-product-id="${product.id}"]`);
    await expect.poll(() => row.locator(".available").textContent()).toBe("4");
    expect(await row.locator(".on-hand").textContent()).toBe("6");
    expect(await row.locator(".reserved").textContent()).toBe("2");
    expect(await row.getByLabel(`Units on hand of ${name}`).inputValue()).toBe("6");
    await screenshot(page, "admin-products-stock");

    await row.getByLabel(`Units on hand of ${name}`).fill("9");
    await row.getByRole("button", { name: "Set stock" }).click();
    await expect.poll(() => row.locator(".available").textContent()).toBe("7");
    expect(await row.locator(".on-hand").textContent()).toBe("9");
    expect(await row.locator(".reserved").textContent()).toBe("2");

    // The order that holds them names its customer, not an id.
    await headingAndTitle(page, "#/admin/orders?status=all", "Admin: orders");
    const orderRow = page.locator(`#admin-orders tr[data-order-id="${placed.body.id}"]`);
    await orderRow.waitFor();
    expect(await orderRow.locator(".customer-name").textContent()).toBe("Tester admintruth");
    expect(await orderRow.locator(".customer-email").textContent()).toBe(buyer.email);
    expect(await orderRow.locator(".customer code").count()).toBe(0);
    await screenshot(page, "admin-orders-customers");
  });

  it("the catalog's heading follows its search and filters, like its tab", async () => {
    const shopper = await browser.open();
    const { page } = shopper;
    await page.goto("/#/products");
    await headingAndTitle(page, "#/products", "Catalog");
    await headingAndTitle(page, "#/products?q=mug", "Search: mug");
    await headingAndTitle(page, "#/products?category=books", "Books");
    await page.getByRole("checkbox", { name: /^Kitchen \(\d+\)$/ }).check();
    await expect.poll(() => page.locator("main h1").textContent()).toBe("Books, Kitchen");
    expect(await page.title()).toBe(`Books, Kitchen · ${SHOP}`);
  });
});
