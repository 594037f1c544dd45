import { describe, expect, it } from "vitest";
import { launchBrowser, newShopper, screenshot } from "../support/browser";
import { ADMIN, baseUrl, call, registerAndLogin } from "../support/http";
import { addToCart, admin } from "../support/shop";

/**
 * The checkout quote through the gateway (ADR 0033): an admin creates a 10 % code, a shopper
 * prices their cart for Germany (VAT inside the price) and New York (sales tax on top), with
 * the free-shipping threshold on either side; unknown codes and addresses outside every zone
 * are refused with problem+json naming the field.
 */

async function product(price: number, currency: "EUR" | "USD") {
  const token = await admin();
  const cats = await call("GET", "/categories");
  const sku = `QUOTE-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`.toUpperCase();
  const res = await call("POST", "/products", {
    token,
    body: {
      sku,
      name: `Quote item ${sku}`,
      description: "Priced by the checkout quote test",
      categoryId: cats.body.items[0].id,
      price: { amount: price, currency },
      initialStock: 20,
    },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id as string;
}

describe("POST /checkout/quote through the gateway", () => {
  it("a 10 % code: DE with VAT included, NY with tax added, free shipping over the threshold", async () => {
    const code = `E2E${Date.now().toString(36).toUpperCase()}`;
    const created = await call("POST", "/promotions", {
      token: await admin(),
      body: { code, name: "E2E ten", discount: { kind: "percentage", percent: 10 }, target: { scope: "order" } },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);

    // €50 − 10 % = €45 < €60: standard €4.90; VAT inside: 4500 × 19/119 → 718, 490 × 19/119 → 78.
    const de = await registerAndLogin("quote-de");
    await addToCart(de.accessToken, await product(5000, "EUR"), 1);
    const deQuote = await call("POST", "/checkout/quote", {
      token: de.accessToken,
      body: { address: { country: "DE", postalCode: "10115", city: "Berlin" }, promoCode: code.toLowerCase() },
    });
    expect(deQuote.status, JSON.stringify(deQuote.body)).toBe(200);
    expect(deQuote.headers.get("cache-control")).toBe("no-store");
    expect(deQuote.body.breakdown).toMatchObject({
      currency: "EUR",
      subtotal: 5000,
      discountTotal: 500,
      discounts: [{ code, amount: 500 }],
      shipping: { methodId: "eu-standard", cost: 490, tax: 78, taxInclusive: true },
      taxTotal: 796,
      taxAdded: 0,
      total: 4990,
    });
    expect(deQuote.body.displayedTotal).toEqual({ amount: 4990, currency: "EUR" });
    expect(deQuote.body.shippingOptions.map((o: { methodId: string }) => o.methodId)).toEqual([
      "eu-standard",
      "eu-express",
    ]);
    expect(deQuote.body.pricingToken).toMatch(/^pq1_/);

    // $60 − 10 % = $54 ≥ $50: free shipping; NY 4 % on top: 216.
    const ny = await registerAndLogin("quote-ny");
    await addToCart(ny.accessToken, await product(3000, "USD"), 2);
    const nyQuote = await call("POST", "/checkout/quote", {
      token: ny.accessToken,
      body: { address: { country: "US", region: "NY" }, promoCode: code },
    });
    expect(nyQuote.status, JSON.stringify(nyQuote.body)).toBe(200);
    expect(nyQuote.body.breakdown).toMatchObject({
      subtotal: 6000,
      discountTotal: 600,
      shipping: { methodId: "us-standard", cost: 0 },
      taxTotal: 216,
      taxAdded: 216,
      total: 5616,
    });

    const unknown = await call("POST", "/checkout/quote", {
      token: ny.accessToken,
      body: { address: { country: "US", region: "NY" }, promoCode: "NOSUCHCODE1" },
    });
    expect(unknown.status).toBe(422);
    expect(unknown.headers.get("content-type")).toContain("application/problem+json");
    expect(unknown.body.errors.map((e: { path: string }) => e.path)).toEqual(["promoCode"]);

    const outside = await call("POST", "/checkout/quote", {
      token: ny.accessToken,
      body: { address: { country: "BR" } },
    });
    expect(outside.status).toBe(422);
    expect(outside.body.errors.map((e: { path: string }) => e.path)).toEqual(["address.country"]);

    // Disabled by the admin: the code is no longer offered.
    const off = await call("PATCH", `/promotions/${created.body.id}`, {
      token: await admin(),
      body: { active: false },
    });
    expect(off.status).toBe(200);
    const disabled = await call("POST", "/checkout/quote", {
      token: de.accessToken,
      body: { address: { country: "DE" }, promoCode: code },
    });
    expect(disabled.status).toBe(422);
  });

  it("the order charges the quote: same total, and a changed price is refused with the new breakdown", async () => {
    const who = await registerAndLogin("quote-place");
    const productId = await product(5000, "EUR");
    await addToCart(who.accessToken, productId, 1);
    const address = { name: "Ada", line1: "1 Unter den Linden", city: "Berlin", postalCode: "10117", country: "DE" };
    const q = await call("POST", "/checkout/quote", { token: who.accessToken, body: { address } });
    expect(q.status).toBe(200);
    const body = {
      shippingAddress: address,
      paymentMethod: "pm_card_visa",
      shippingMethodId: q.body.breakdown.shipping.methodId,
      displayedTotal: q.body.displayedTotal.amount,
    };
    // €50 + €4.90 standard shipping, VAT inside: 5490.
    expect(q.body.displayedTotal.amount).toBe(5490);

    const patched = await call("PATCH", `/products/${productId}`, {
      token: await admin(),
      headers: { "if-match": (await call("GET", `/products/${productId}`)).headers.get("etag") ?? "" },
      body: { price: { amount: 5200, currency: "EUR" } },
    });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    const key = `quote-place-${Date.now()}`;
    const refused = await call("POST", "/orders", {
      token: who.accessToken,
      headers: { "idempotency-key": key },
      body,
    });
    expect(refused.status, JSON.stringify(refused.body)).toBe(409);
    expect(refused.body.code).toBe("price_changed");
    expect(refused.body.breakdown).toMatchObject({ subtotal: 5200, total: 5690 });

    const placed = await call("POST", "/orders", {
      token: who.accessToken,
      headers: { "idempotency-key": `${key}-2` },
      body: { ...body, displayedTotal: refused.body.breakdown.total },
    });
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);
    expect(placed.body.total).toEqual({ amount: 5690, currency: "EUR" });
    expect(placed.body.breakdown.shipping).toMatchObject({ methodId: "eu-standard", cost: 490 });
  });

  it("admin routes are not for customers", async () => {
    const shopper = await registerAndLogin("quote-nosy");
    expect((await call("GET", "/promotions", { token: shopper.accessToken })).status).toBe(403);
    expect((await call("GET", "/shipping")).status).toBe(401);
  });
});

describe("the checkout page shows the server's breakdown", () => {
  it("a DE shopper applies a 10 % code, sees VAT included, picks express; a wrong code is explained", async () => {
    const code = `PAGE${Date.now().toString(36).toUpperCase()}`;
    const created = await call("POST", "/promotions", {
      token: await admin(),
      body: { code, name: "Page ten", discount: { kind: "percentage", percent: 10 }, target: { scope: "order" } },
    });
    expect(created.status).toBe(201);
    const who = await registerAndLogin("quote-page");
    await addToCart(who.accessToken, await product(5000, "EUR"), 1);

    const browser = await launchBrowser();
    try {
      const { page, errors } = await newShopper(browser, baseUrl());
      await page.goto("/#/login");
      await page.getByLabel("Email").fill(who.email);
      await page.getByLabel("Password").fill(who.password);
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.waitForURL((url) => !url.hash.startsWith("#/login"));
      // "Place order" waits for the first priced total: held back here until the quote answers.
      let release = () => {};
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      await page.route("**/checkout/quote", async (route) => {
        await gate;
        await route.continue();
      });
      await page.goto("/#/checkout");
      const place = page.getByRole("button", { name: /Place order/ });
      await place.waitFor();
      expect(await place.isDisabled()).toBe(true);
      release();
      await expect.poll(() => place.isDisabled()).toBe(false);
      await page.unroute("**/checkout/quote");
      await page.getByLabel("Country").selectOption("DE");
      const total = page.locator('#price-breakdown [data-part="total"] dd');
      await expect.poll(() => total.textContent()).toContain("54.90");

      await page.getByLabel("Promo code").fill("NOPE-NOT-A-CODE");
      await page.getByRole("button", { name: "Apply" }).click();
      await expect.poll(() => page.locator('[data-error-for="promoCode"]').textContent()).toContain("not a valid code");

      await page.getByLabel("Promo code").fill(code.toLowerCase());
      await page.getByRole("button", { name: "Apply" }).click();
      await expect.poll(() => total.textContent()).toContain("49.90");
      expect(await page.locator('#price-breakdown [data-part="discount"]').textContent()).toContain("5.00");
      expect(await page.locator('#price-breakdown [data-part="tax"]').textContent()).toMatch(/Includes tax.*7\.96/);
      expect(await page.getByRole("button", { name: /Place order/ }).textContent()).toContain("49.90");

      await page.getByLabel(/^Express/).check();
      await expect.poll(() => total.textContent()).toContain("59.90");
      await screenshot(page, "checkout-quote-breakdown");

      // Placed with the method, the code and the total shown: charged exactly that (ADR 0035).
      await page.getByLabel("Full name").fill("Ada Lovelace");
      await page.getByLabel("Address line 1").fill("12 Analytical Row");
      await page.getByLabel("Postal code").fill("10115");
      await page.getByLabel("City").fill("Berlin");
      await page.getByLabel(/4242/).check();
      await page.getByRole("button", { name: /Place order/ }).click();
      await page.waitForURL(/#\/orders\/ord_/);
      const orderId = decodeURIComponent(/#\/orders\/([^?]+)/.exec(page.url())?.[1] ?? "");
      const order = await call("GET", `/orders/${orderId}`, { token: who.accessToken });
      expect(order.body.total).toEqual({ amount: 5990, currency: "EUR" });
      expect(order.body.breakdown).toMatchObject({
        subtotal: 5000,
        discountTotal: 500,
        discounts: [{ code }],
        shipping: { methodId: "eu-express", cost: 1490 },
        total: 5990,
      });
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});

describe("the checkout page when the price changed since the quote", () => {
  it("shows the new total, charges nothing, and places the order at the new total when confirmed", async () => {
    const who = await registerAndLogin("quote-page-changed");
    const productId = await product(5000, "EUR");
    await addToCart(who.accessToken, productId, 1);
    const browser = await launchBrowser();
    try {
      const { page, errors } = await newShopper(browser, baseUrl());
      await page.goto("/#/login");
      await page.getByLabel("Email").fill(who.email);
      await page.getByLabel("Password").fill(who.password);
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.waitForURL((url) => !url.hash.startsWith("#/login"));
      await page.goto("/#/checkout");
      await page.getByLabel("Full name").fill("Ada Lovelace");
      await page.getByLabel("Address line 1").fill("12 Analytical Row");
      await page.getByLabel("Postal code").fill("10115");
      await page.getByLabel("City").fill("Berlin");
      await page.getByLabel("Country").selectOption("DE");
      const total = page.locator('#price-breakdown [data-part="total"] dd');
      await expect.poll(() => total.textContent()).toContain("54.90");
      await page.getByLabel(/4242/).check();

      // Staff change the price while the shopper looks at €54.90.
      const patched = await call("PATCH", `/products/${productId}`, {
        token: await admin(),
        headers: { "if-match": (await call("GET", `/products/${productId}`)).headers.get("etag") ?? "" },
        body: { price: { amount: 5200, currency: "EUR" } },
      });
      expect(patched.status).toBe(200);
      await page.getByRole("button", { name: /Place order/ }).click();
      await expect.poll(() => page.locator(".form-error").textContent()).toContain("56.90");
      expect(await total.textContent()).toContain("56.90");
      expect(await page.getByRole("button", { name: /Place order/ }).textContent()).toContain("56.90");
      const none = await call("GET", "/orders", { token: who.accessToken });
      expect(none.body.items.filter((o: { status: string }) => o.status !== "rejected")).toEqual([]);
      await screenshot(page, "checkout-price-changed");

      await page.getByRole("button", { name: /Place order/ }).click();
      await page.waitForURL(/#\/orders\/ord_/);
      const orderId = decodeURIComponent(/#\/orders\/([^?]+)/.exec(page.url())?.[1] ?? "");
      const order = await call("GET", `/orders/${orderId}`, { token: who.accessToken });
      expect(order.body.total).toEqual({ amount: 5690, currency: "EUR" });
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});

describe("the admin promotions page", () => {
  it("lists, creates and disables a code", async () => {
    const browser = await launchBrowser();
    try {
      const { page, errors } = await newShopper(browser, baseUrl());
      await page.goto("/#/login");
      await page.getByLabel("Email").fill(ADMIN.email);
      await page.getByLabel("Password").fill(ADMIN.password);
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.waitForURL((url) => !url.hash.startsWith("#/login"));
      await page.getByRole("link", { name: "Admin: promotions" }).click();
      await page.getByRole("heading", { name: "Admin: promotions" }).waitFor();
      const code = `ADM${Date.now().toString(36).toUpperCase()}`;
      await page.getByLabel("Name").fill("Staff made");
      await page.getByLabel("Code").fill(code);
      await page.getByLabel("Value").fill("15");
      await page.getByLabel("Total uses (optional)").fill("3");
      await page.getByRole("button", { name: "Create promotion" }).click();
      const row = page.locator("#admin-promotions tr", { hasText: code });
      await row.waitFor();
      expect(await row.textContent()).toContain("15 % off");
      expect(await row.textContent()).toContain("0 / 3");
      await row.getByRole("button", { name: "Disable" }).click();
      await expect.poll(() => row.textContent()).toContain("Disabled");
      const list = await call("GET", "/promotions", { token: await admin() });
      expect(list.body.items.find((p: { code: string }) => p.code === code)).toMatchObject({
        active: false,
        usageLimit: 3,
      });
      await screenshot(page, "admin-promotions");
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
