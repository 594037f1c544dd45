import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { signIn, useBrowser } from "../support/browser";
import { ADMIN, call, login, registerAndLogin } from "../support/http";
import { addToCart, admin, placeOrder } from "../support/shop";

// The storefront's finish: every page names itself in the tab (product names, searches,
// "Page not found"); the seeded catalog a shopper meets is ordinary, while markup in a name
// an admin typed is shown as text; staff see who placed each order.

const SHOP = "Shop at the edge";

/** Navigates inside the running page (no reload), as a link click does. */
async function visit(page: Page, hash: string) {
  await page.evaluate((h) => {
    location.hash = h;
  }, hash);
}

/** The tab's title once the page at `hash` has settled (views that load data retitle the page). */
async function titleAt(page: Page, hash: string, want: string): Promise<void> {
  await visit(page, hash);
  await expect.poll(() => page.title(), { timeout: 10_000 }).toBe(want);
}

describe("storefront polish", () => {
  const { open } = useBrowser();

  it("names every page in the tab: products by name, searches and categories, and unknown routes", async () => {
    const { page } = await open();
    await page.goto("/#/products");
    await page.locator("#product-list > li").first().waitFor();
    expect(await page.title()).toBe(`Catalog · ${SHOP}`);

    await titleAt(page, "#/products?q=mug", `Search: mug · ${SHOP}`);
    const categories = await call("GET", "/categories");
    const kitchen = categories.body.items.find((c: { slug: string }) => c.slug === "kitchen");
    await titleAt(page, "#/products?category=kitchen", `${kitchen.name} · ${SHOP}`);
    await titleAt(page, "#/products?q=mug&category=kitchen", `Search: mug in ${kitchen.name} · ${SHOP}`);

    const mugs = await call("GET", "/products?q=stoneware");
    const mug = mugs.body.items[0];
    await titleAt(page, `#/product/${mug.id}`, `${mug.name} · ${SHOP}`);
    await titleAt(page, "#/product/prd_00000000000000000000000000", `Product not found · ${SHOP}`);
    await expect.poll(() => page.locator("main h1").textContent()).toBe("Product not found");

    await titleAt(page, "#/cart", `Cart · ${SHOP}`);
    await titleAt(page, "#/login", `Sign in · ${SHOP}`);
    await titleAt(page, "#/register", `Register · ${SHOP}`);
    await titleAt(page, "#/no-such-page", `Page not found · ${SHOP}`);
    // Back on a known page, the title follows again.
    await titleAt(page, "#/products", `Catalog · ${SHOP}`);
  });

  it("names the signed-in and staff pages", async () => {
    const { page } = await open();
    const user = await registerAndLogin("titles");
    await signIn(page, user);
    await titleAt(page, "#/orders", `My orders · ${SHOP}`);
    await titleAt(page, "#/preferences", `Notification preferences · ${SHOP}`);
    const product = (await call("GET", "/products?q=stoneware")).body.items[0];
    await addToCart(user.accessToken, product.id);
    await titleAt(page, "#/checkout", `Checkout · ${SHOP}`);

    const staff = await open();
    await signIn(staff.page, ADMIN);
    await titleAt(staff.page, "#/admin/products", `Admin: products · ${SHOP}`);
    await titleAt(staff.page, "#/admin/orders", `Admin: orders · ${SHOP}`);
  });

  it("the seeded catalog a shopper searches holds no markup or script text", async () => {
    const found = await call("GET", "/products?q=mug&limit=100");
    expect(found.status).toBe(200);
    const names: string[] = found.body.items.map((p: { name: string }) => p.name);
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) expect(name).not.toMatch(/[<>]|script|alert\(/i);
  });

  it("shows markup in a product's name as text: in the list, on its page and in the tab", async () => {
    const token = await admin();
    const marker = `Zqx${Date.now().toString(36)}`;
    const name = `<img src=x onerror="window.__owned=1"><script>window.__owned=1</script> ${marker} Mug`;
    const categories = await call("GET", "/categories");
    const created = await call("POST", "/products", {
      token,
      body: {
        sku: `E2E-ESC-${Date.now()}`,
        name,
        description: `<b>bold?</b> ${marker}`,
        categoryId: categories.body.items[0].id,
        price: { amount: 1500, currency: "USD" },
        initialStock: 5,
      },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const id: string = created.body.id;
    try {
      const { page } = await open();
      let dialogs = 0;
      page.on("dialog", (d) => {
        dialogs++;
        void d.dismiss();
      });
      await page.goto(`/#/products?q=${marker}`);
      const card = page.locator(`#product-list > li[data-product-id="${id}"]`);
      await card.waitFor();
      expect(await card.locator(".card-title a").textContent()).toBe(name);
      expect(await card.locator("img[src='x'], script").count()).toBe(0);

      await visit(page, `#/product/${id}`);
      await expect.poll(() => page.locator("main h1").textContent()).toBe(name);
      expect(await page.locator(".description").textContent()).toBe(`<b>bold?</b> ${marker}`);
      expect(await page.locator("main b, main img[src='x'], main script").count()).toBe(0);
      expect(await page.title()).toBe(`${name} · ${SHOP}`);
      expect(await page.evaluate(() => (window as unknown as { __owned?: number }).__owned)).toBeUndefined();
      expect(dialogs).toBe(0);
    } finally {
      const archived = await call("DELETE", `/products/${id}`, { token });
      expect(archived.status, JSON.stringify(archived.body)).toBeLessThan(300);
    }
  });

  it("staff see who placed each order; customers listing their own do not get it", async () => {
    const buyer = await registerAndLogin("orderlist");
    const product = (await call("GET", "/products?q=stoneware")).body.items[0];
    await addToCart(buyer.accessToken, product.id);
    const placed = await placeOrder(buyer.accessToken, `polish-${Date.now()}`);
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);

    const staff = await login(ADMIN);
    const listed = await call("GET", "/orders?limit=100", { token: staff.accessToken });
    expect(listed.status).toBe(200);
    const row = listed.body.items.find((o: { id: string }) => o.id === placed.body.id);
    expect(row?.customer).toEqual({ name: "Tester orderlist", email: buyer.email });

    const own = await call("GET", "/orders", { token: buyer.accessToken });
    expect(own.status).toBe(200);
    expect(own.body.items.map((o: { id: string }) => o.id)).toContain(placed.body.id);
    for (const o of own.body.items) expect(o).not.toHaveProperty("customer");
  });
});
