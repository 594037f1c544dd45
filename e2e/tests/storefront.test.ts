import { CATALOG_FRESHNESS_MS, defaultVariantId } from "@shop/contracts";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, newShopper, type Shopper, screenshot } from "../support/browser";
import { ADMIN, baseUrl, call, login, registerAndLogin, uniqueEmail } from "../support/http";
import { emailsTo } from "../support/mailbox";
import { eventually } from "../support/shop";

// The storefront in a real browser, over the public API only: a guest shops, registers
// (the cart comes along), pays, sees the order paid, confirms the address from the email; a declined card is explained and the
// stock comes back; staff ship the order and the shopper sees the tracking number.

type Product = { id: string; name: string; available: boolean; availableQuantity?: number };

/** Units on hand minus reserved, from the product page (lists only say in stock or not). */
async function unitsOf(id: string): Promise<number> {
  const res = await call("GET", `/products/${id}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.availableQuantity;
}

/** A seeded product with room to buy a few, not used by another scenario of this file. */
async function stockedProduct(skip: string[] = []): Promise<Product> {
  const res = await call("GET", "/products?limit=50");
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  for (const p of res.body.items as Product[]) {
    if (!skip.includes(p.id) && p.available && (await unitsOf(p.id)) >= 5) return p;
  }
  throw new Error("no seeded product with at least 5 units");
}

/** Form controls without a label (by <label>, aria-label or aria-labelledby): must be none. */
function unlabelled(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll("main input, main select, main textarea"))
      .filter((el) => (el as HTMLInputElement).type !== "hidden")
      .filter(
        (el) =>
          !(el as HTMLInputElement).labels?.length &&
          !el.getAttribute("aria-label") &&
          !el.getAttribute("aria-labelledby"),
      )
      .map((el) => el.outerHTML),
  );
}

async function go(page: Page, hash: string) {
  await page.goto(`/${hash}`);
  await page.locator("main h1").first().waitFor();
}

async function signIn(page: Page, who: { email: string; password: string }) {
  await go(page, "#/login");
  await page.getByLabel("Email").fill(who.email);
  await page.getByLabel("Password").fill(who.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((url) => !url.hash.startsWith("#/login"));
}

async function fillAddress(page: Page) {
  await page.getByLabel("Full name").fill("Ada Lovelace");
  await page.getByLabel("Address line 1").fill("12 Analytical Row");
  await page.getByLabel("Postal code").fill("10115");
  await page.getByLabel("City").fill("Berlin");
  await page.getByLabel("Country").selectOption("DE");
}

describe("storefront", () => {
  let browser: Browser;
  const shoppers: Shopper[] = [];
  const open = async (viewport?: { width: number; height: number }) => {
    const s = await newShopper(browser, baseUrl(), viewport);
    shoppers.push(s);
    return s;
  };
  /** Shared by the journey and the shipping scenario. */
  let journey: { shopper: Shopper; orderId: string; product: Product } | undefined;

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    for (const s of shoppers) expect(s.errors, "page errors / CSP violations").toEqual([]);
    await browser?.close();
  });

  it("serves the storefront shell with a CSP that allows no inline script", async () => {
    const res = await fetch(`${baseUrl()}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/html");
    // The page itself carries the CSP (so the browser tests run under it), not only the API.
    expect(res.headers.get("content-security-policy")).toContain("script-src 'self'");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    const html = await res.text();
    expect(html).toContain('src="/app.js"');
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    const js = await fetch(`${baseUrl()}/app.js`);
    expect(js.status).toBe(200);
    expect(js.headers.get("content-type")).toMatch(/javascript/);
  });

  it("guest browses, adds to cart, registers (cart merged), pays by card and sees the order paid", async () => {
    const shopper = await open();
    const { page } = shopper;
    const item = await stockedProduct();

    // Browse: the catalog lists products; search finds the one we want.
    await go(page, "#/products");
    await expect.poll(() => page.locator("#product-list > li").count()).toBeGreaterThan(0);
    await screenshot(page, "01-catalog");
    expect(await unlabelled(page)).toEqual([]);
    await page.getByLabel("Search", { exact: true }).fill(item.name);
    await page.getByRole("button", { name: "Search" }).click();
    const card = page.locator(`#product-list > li[data-product-id="${item.id}"]`);
    await card.waitFor();
    await card.getByRole("link", { name: item.name }).click();

    // Product page → add two to the guest cart.
    await page.getByRole("heading", { level: 1, name: item.name }).waitFor();
    await page.getByLabel("Quantity").fill("2");
    await page.getByRole("button", { name: "Add to cart" }).click();
    await expect.poll(() => page.locator("#flash").textContent()).toContain("Added 2");
    await expect.poll(() => page.locator("#cart-count").textContent()).toBe("2");
    await screenshot(page, "02-product");

    await go(page, "#/cart");
    await page.locator(`.cart-line[data-product-id="${item.id}"]`).waitFor();
    // The guest cart is held by a token (id and secret), not by its bare id.
    expect(await page.evaluate(() => localStorage.getItem("shop.cartId"))).toMatch(/^crt_[^.]+\.[^.]+$/);
    await screenshot(page, "03-cart-guest");
    expect(await unlabelled(page)).toEqual([]);

    // Register from the cart; the guest cart becomes the account's cart.
    const email = uniqueEmail("shopper");
    const password = "correct-horse-42";
    await page.getByRole("link", { name: "Create an account" }).click();
    await page.getByLabel("Name").fill("Ada Shopper");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(password);
    await page.getByRole("button", { name: "Create account" }).click();
    await page.waitForURL(/#\/checkout/);
    await page.getByRole("heading", { level: 1, name: "Checkout" }).waitFor();
    await expect.poll(() => page.locator("#flash").textContent()).toContain("cart has been saved");
    // Signed in at once; the address is confirmed later, through the link the shop mails.
    expect(await page.locator("#flash").textContent()).toContain(`We sent a message to ${email}`);
    expect(await page.evaluate(() => localStorage.getItem("shop.cartId"))).toBeNull();
    const merged = await call("GET", "/cart", { token: (await login({ email, password })).accessToken });
    expect(merged.body.lines).toEqual([expect.objectContaining({ productId: item.id, quantity: 2 })]);

    // Checkout with the card that succeeds; the confirmation follows the payment to "paid".
    await fillAddress(page);
    await page.getByLabel(/4242/).check();
    await screenshot(page, "04-checkout");
    expect(await unlabelled(page)).toEqual([]);
    await page.getByRole("button", { name: /Place order/ }).click();
    await page.waitForURL(/#\/orders\/ord_/);
    await page.locator('.order-status [data-status="paid"]').waitFor({ timeout: 30_000 });
    const orderId = (await page.locator(".order-id").textContent()) ?? "";
    expect(orderId).toMatch(/^ord_/);
    await expect.poll(() => page.locator("#cart-count").textContent()).toBe("0");
    await screenshot(page, "05-order-paid");

    // "My orders" lists it as paid.
    await page.getByRole("link", { name: "My orders", exact: true }).click();
    const row = page.locator(`#orders-table tr[data-order-id="${orderId}"]`);
    await row.waitFor();
    expect(await row.locator("[data-status]").getAttribute("data-status")).toBe("paid");
    await screenshot(page, "06-my-orders");

    // The link in the verification email opens the storefront, which confirms the address.
    const link = await eventually(
      async () =>
        (await emailsTo(email))
          .map((m) => /https?:\/\/\S+verify-email\?token=[\w-]{43}/.exec(m.text)?.[0])
          .find(Boolean),
      30_000,
      "verification link",
    );
    expect(link.startsWith(`${baseUrl()}/#/verify-email?token=`), link).toBe(true);
    await page.goto(link);
    await page.getByText("Your email address is confirmed").waitFor();
    expect(page.url(), "the single-use token leaves the address bar").not.toContain("token=");
    expect(
      (await call("GET", "/users/me", { token: (await login({ email, password })).accessToken })).body,
    ).toMatchObject({ email, emailVerified: true });
    journey = { shopper, orderId, product: item };
  });

  it("a declined card is explained, and the product's stock is back", async () => {
    const { page } = await open({ width: 390, height: 844 });
    const user = await registerAndLogin("declined");
    const item = await stockedProduct(journey ? [journey.product.id] : []);
    const before = await unitsOf(item.id);

    await signIn(page, user);
    await go(page, `#/product/${item.id}`);
    await page.getByRole("button", { name: "Add to cart" }).click();
    await expect.poll(() => page.locator("#cart-count").textContent()).toBe("1");
    await go(page, "#/checkout");
    await fillAddress(page);
    await page.getByLabel(/card is declined/).check();
    await page.getByRole("button", { name: /Place order/ }).click();

    const alert = page.locator("#payment-failed");
    await alert.waitFor({ timeout: 30_000 });
    expect(await alert.getAttribute("role")).toBe("alert");
    const text = (await alert.textContent()) ?? "";
    expect(text).toMatch(/declined/i);
    expect(text).toMatch(/another card/i);
    expect(await page.locator(".order-status [data-status]").getAttribute("data-status")).toBe("payment_failed");
    await screenshot(page, "07-payment-declined-mobile");

    // The reservation was released: the catalog offers the same units again.
    await expect.poll(() => unitsOf(item.id), { timeout: 15_000 }).toBe(before);

    // "Try another card" puts the items back in the cart and returns to checkout.
    await page.getByRole("button", { name: "Try another card" }).click();
    await page.waitForURL(/#\/checkout/);
    await page.locator(`.summary-box li[data-product-id="${item.id}"]`).waitFor();
  });

  it("an out-of-stock item is named at checkout and nothing is charged", async () => {
    // A product of its own, so emptying its stock disturbs no other test.
    const admin = await login(ADMIN);
    const categories = await call("GET", "/categories");
    const created = await call("POST", "/products", {
      token: admin.accessToken,
      body: {
        sku: `E2E-LAST-${Date.now()}`,
        name: `Last Lamp ${Date.now()}`,
        description: "Only one was ever made.",
        categoryId: categories.body.items[0].id,
        price: { amount: 4900, currency: "USD" },
        initialStock: 1,
      },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const item: Product = created.body;

    const { page } = await open();
    const shopper = await registerAndLogin("short");
    await signIn(page, shopper);
    await go(page, `#/product/${item.id}`);
    await page.getByRole("button", { name: "Add to cart" }).click();
    await expect.poll(() => page.locator("#cart-count").textContent()).toBe("1");
    // A second unit does not exist: the cart's 409 says how many are left, as data.
    const tooMany = page.waitForResponse(
      (r) => r.request().method() === "POST" && new URL(r.url()).pathname === "/cart/items",
    );
    await page.getByRole("button", { name: "Add to cart" }).click();
    expect((await (await tooMany).json()).lines).toEqual([
      { productId: item.id, requested: 2, available: 1, reason: "insufficient_stock" },
    ]);
    await expect.poll(() => page.locator("#flash").textContent()).toContain(`Only 1 of ${item.name} left in stock`);
    expect(await page.locator("#cart-count").textContent()).toBe("1");
    await go(page, "#/checkout");
    await fillAddress(page);

    // Meanwhile the last unit goes elsewhere.
    const emptied = await call("PUT", `/products/${item.id}/inventory`, {
      token: admin.accessToken,
      body: { onHand: 0 },
    });
    expect(emptied.status, JSON.stringify(emptied.body)).toBe(200);
    const refused = page.waitForResponse(
      (r) => r.request().method() === "POST" && new URL(r.url()).pathname === "/orders",
    );
    await page.getByRole("button", { name: /Place order/ }).click();
    // The 409 names the short line as data, and the page words it from that data.
    const problem = await (await refused).json();
    expect(problem.lines).toEqual([
      {
        productId: item.id,
        variantId: defaultVariantId(item.id),
        requested: 1,
        available: 0,
        reason: "insufficient_stock",
      },
    ]);
    const box = page.locator(".form-error");
    await expect.poll(() => box.textContent()).toContain(`${item.name}: sold out`);
    expect(await box.textContent()).toMatch(/out of stock/i);
    expect(await box.isVisible()).toBe(true);
    expect(page.url()).toContain("#/checkout");
    await screenshot(page, "08-out-of-stock");
    const payments = await call("GET", "/payments", { token: shopper.accessToken });
    expect(payments.status).toBe(200);
    expect(payments.body.items).toEqual([]);
  });

  it("staff ship the order in the admin area and the shopper sees the tracking number", async () => {
    expect(journey, "the journey scenario placed an order").toBeTruthy();
    if (!journey) return;
    const { page } = await open();
    await signIn(page, ADMIN);
    await page.getByRole("link", { name: "Admin: orders" }).click();
    const row = page.locator(`#admin-orders tr[data-order-id="${journey.orderId}"]`);
    await row.waitFor();
    const tracking = `TRK${Date.now()}`;
    await row.getByLabel("Carrier").fill("DHL");
    await row.getByLabel("Tracking no.").fill(tracking);
    await screenshot(page, "09-admin-orders");
    expect(await unlabelled(page)).toEqual([]);
    await row.getByRole("button", { name: "Ship" }).click();
    await expect.poll(() => row.locator("[data-status]").getAttribute("data-status")).toBe("shipped");
    await go(page, "#/admin/products");
    await page.locator("#admin-products tbody tr").first().waitFor();
    await screenshot(page, "10-admin-products");

    const shopperPage = journey.shopper.page;
    await go(shopperPage, `#/orders/${journey.orderId}`);
    await shopperPage.locator("#tracking").waitFor();
    expect(await shopperPage.locator(".tracking-number").textContent()).toBe(tracking);
    expect(await shopperPage.locator("#tracking").textContent()).toContain("DHL");
    await screenshot(shopperPage, "11-order-shipped");
  });

  it("staff create a product, change its price, set its stock and archive it", async () => {
    const { page } = await open();
    await signIn(page, ADMIN);
    await page.getByRole("link", { name: "Admin: products" }).click();
    await page.locator("#admin-products tbody tr").first().waitFor();
    const name = `Desk Fern ${Date.now()}`;
    const form = page.locator("#create-product");
    await page.getByText("New product").click();
    await form.getByLabel("Name").fill(name);
    await form.getByLabel("SKU").fill(`E2E-FERN-${Date.now()}`);
    await form.getByLabel("Description").fill("A small fern for a desk.");
    await form.getByLabel("Price").fill("12.50");
    await form.getByLabel("Initial stock").fill("3");
    await form.getByRole("button", { name: "Create product" }).click();
    await expect.poll(() => page.locator("#flash").textContent()).toContain(`Created ${name}`);

    const row = page.locator("#admin-products tbody tr", { hasText: name });
    await row.waitFor();
    const id = (await row.getAttribute("data-product-id")) ?? "";
    const created = await call("GET", `/products/${id}`);
    expect(created.body).toMatchObject({ name, price: { amount: 1250, currency: "USD" }, availableQuantity: 3 });

    await row.getByLabel(`Price of ${name}`).fill("15.00");
    await row.getByRole("button", { name: "Save price" }).click();
    await expect.poll(() => page.locator("#flash").textContent()).toContain("now costs $15.00");
    // A shopper (this anonymous read) sees an admin's write within the catalog's bound (ADR 0022, 0024).
    const fresh = { timeout: CATALOG_FRESHNESS_MS };
    await expect.poll(async () => (await call("GET", `/products/${id}`)).body.price.amount, fresh).toBe(1500);

    await row.getByLabel(`Units on hand of ${name}`).fill("7");
    await row.getByRole("button", { name: "Set stock" }).click();
    await expect.poll(() => row.locator(".available").textContent()).toBe("7");
    await expect.poll(() => unitsOf(id), fresh).toBe(7);

    page.once("dialog", (d) => d.accept());
    await row.getByRole("button", { name: "Archive" }).click();
    await expect.poll(() => row.count()).toBe(0);
    await expect.poll(async () => (await call("GET", `/products/${id}`)).status, fresh).toBe(404);
  });

  it("notification preferences are saved with the keyboard alone", async () => {
    const { page } = await open();
    const user = await registerAndLogin("prefs");
    await signIn(page, user);
    await go(page, "#/preferences");
    const sms = page.getByLabel("Text messages");
    const before = await sms.isChecked();
    expect(await page.getByLabel("Order and account emails").isDisabled()).toBe(true);
    expect(await unlabelled(page)).toEqual([]);
    await sms.focus();
    await page.keyboard.press("Space");
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Save preferences");
    await page.keyboard.press("Enter");
    await expect.poll(() => page.locator("#flash").textContent()).toContain("preferences were saved");
    const saved = await call("GET", "/notifications/preferences", { token: user.accessToken });
    expect(saved.body.sms).toBe(!before);
    await screenshot(page, "12-preferences");
  });

  it("keeps tokens out of storage, restores the session through its cookie, and ends it only when the refresh says so", async () => {
    const { context, page } = await open();
    const user = await registerAndLogin("session");
    const refreshes: number[] = [];
    page.on("response", (r) => {
      if (new URL(r.url()).pathname === "/users/refresh") refreshes.push(r.status());
    });
    await signIn(page, user);
    const signedIn = async () => {
      expect(await page.locator("#sign-out").isVisible()).toBe(true);
      expect(await page.locator("#who").textContent()).toContain("Tester session");
    };
    await signedIn();

    // The refresh token is an HttpOnly, Secure, SameSite=Strict cookie for /users only; script
    // sees no token at all: storage keeps who is signed in (for the header), never a token.
    const cookie = (await context.cookies()).find((c) => c.name === "shop_refresh");
    expect(cookie).toMatchObject({ httpOnly: true, secure: true, sameSite: "Strict", path: "/users" });
    expect(cookie?.value.length).toBeGreaterThanOrEqual(20);
    const stored = await page.evaluate(() => Object.fromEntries(Object.entries(localStorage)));
    expect(Object.keys(stored)).not.toContain("shop.session");
    expect(Object.keys(JSON.parse(stored["shop.user"] ?? "{}")).sort()).toEqual(["id", "name", "role"]);
    const everything = JSON.stringify(stored);
    expect(everything).not.toContain(cookie?.value);
    expect(everything).not.toMatch(/eyJ[\w-]+\.[\w-]+\.[\w-]+/); // no JWT
    expect(await page.evaluate(() => document.cookie)).not.toContain("shop_refresh");

    // A reload loses the in-memory access token; the cookie gets a new one: still signed in.
    // (Hash changes from here on stay in the page, so every refresh below is the page's own.)
    const viaHash = (hash: string) =>
      page.evaluate((h) => {
        location.hash = h;
      }, hash);
    await go(page, "#/orders");
    await page.getByText("You have no orders yet").waitFor();
    refreshes.length = 0;
    await page.reload();
    await page.getByText("You have no orders yet").waitFor();
    await expect.poll(() => refreshes).toEqual([200]);
    await signedIn();

    // An API call refused with 401 (the access token expired): the page refreshes once and
    // retries, and the shopper notices nothing.
    const forced401 = {
      status: 401,
      contentType: "application/problem+json",
      body: JSON.stringify({ type: "about:blank", title: "Unauthorized", status: 401, code: "unauthorized" }),
    };
    const ordersCalls: string[] = [];
    const ordersApi = (url: URL) => url.pathname === "/orders";
    await page.route(ordersApi, async (route) => {
      ordersCalls.push(ordersCalls.length === 0 ? "401" : "through");
      if (ordersCalls.length === 1) return route.fulfill(forced401);
      return route.continue();
    });
    await viaHash("#/products");
    await page.locator("#product-list > li").first().waitFor();
    refreshes.length = 0;
    await viaHash("#/orders");
    await page.getByText("You have no orders yet").waitFor();
    expect(ordersCalls).toEqual(["401", "through"]);
    await expect.poll(() => refreshes).toEqual([200]);
    await signedIn();
    await page.unroute(ordersApi);

    // Users cannot vouch for the session (refresh → 503): the shopper stays signed in and is
    // told it is retrying; once refresh answers again, the page comes back by itself.
    await page.route("**/users/refresh", (route) =>
      route.fulfill({
        status: 503,
        contentType: "application/problem+json",
        headers: { "retry-after": "1" },
        body: JSON.stringify({ type: "about:blank", title: "Service unavailable", status: 503, code: "unavailable" }),
      }),
    );
    await page.reload();
    await expect.poll(() => page.locator("#flash").textContent()).toMatch(/unavailable; retrying/i);
    await signedIn();
    expect(page.url()).not.toContain("#/login");
    expect(await page.evaluate(() => localStorage.getItem("shop.user"))).toBeTruthy();
    await page.unroute("**/users/refresh");
    await page.getByText("You have no orders yet").waitFor({ timeout: 30_000 });
    await expect.poll(() => page.locator("#flash").textContent()).not.toMatch(/unavailable; retrying/i);
    await signedIn();

    // The session is gone (no cookie) and an API call is refused: the refresh answers 401, and
    // only that ends the session — the shopper is told and sent to sign in.
    await context.clearCookies();
    let refused = 0;
    await page.route(
      (url) => url.pathname === "/notifications/preferences",
      (route) => (refused++ === 0 ? route.fulfill(forced401) : route.continue()),
    );
    refreshes.length = 0;
    await viaHash("#/preferences");
    await page.waitForURL(/#\/login/);
    await expect.poll(() => page.locator("#flash").textContent()).toMatch(/session expired, please sign in again/i);
    await expect.poll(() => refreshes).toEqual([401]);
    expect(await page.locator("#sign-out").isVisible()).toBe(false);
    expect(await page.evaluate(() => localStorage.getItem("shop.user"))).toBeNull();
  });
});
