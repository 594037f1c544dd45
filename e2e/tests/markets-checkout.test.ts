import type { Page } from "playwright-core";
import { expect, it } from "vitest";
// @ts-expect-error plain ESM module shared with the seed
import { png } from "../../workers/products/scripts/seed-images.mjs";
import { screenshot, useBrowser } from "../support/browser";
import { baseUrl, call, registerAndLogin } from "../support/http";
import { currentMode, describeEachMode } from "../support/modes";
import { ADDRESS, admin, settle } from "../support/shop";
import { fakeStripe } from "../support/stripe-fake";

// A shopper in Germany buys in euros (ADR 0032): the gateway puts them in the `eu` market from
// their country, the cart remembers it, and the order and its payment are in EUR at the prices
// the seed set for that market. Locally the country is the `MF-CF-Blob` header Miniflare turns
// into `request.cf` (see markets.test.ts); the browser sends it on every request.

type Money = { amount: number; currency: string };
type Variant = { id: string; sku: string; options: Record<string, string>; price: Money; available: boolean };
type Detail = { id: string; name: string; price: Money; variants: Variant[]; images: unknown[] };
type Payment = { orderId: string; amount: number; currency: string; status: string };

const DE = { "MF-CF-Blob": JSON.stringify({ country: "DE" }) };

/** The seeded T-shirt (sizes × colours) as a shopper in Germany sees it. */
async function shirtInGermany(): Promise<Detail> {
  const found = await call("GET", "/products?q=cotton%20t-shirt", { headers: DE });
  const item = found.body.items.find((p: { name: string }) => p.name === "Organic Cotton T-Shirt");
  expect(item, "the seeded T-shirt").toBeDefined();
  const res = await call("GET", `/products/${item.id}`, { headers: DE });
  expect(res.status).toBe(200);
  expect(res.headers.get("x-market")).toBe("eu");
  return res.body;
}

/** An available variant other than the product's default one (a real size × colour choice). */
function aSizeAndColour(p: Detail, skip: string[] = []): Variant {
  const defaultId = `var_${p.id.slice(4)}`;
  const v = p.variants.find((x) => x.available && x.id !== defaultId && !skip.includes(x.id));
  expect(v, "an available non-default variant").toBeDefined();
  return v as Variant;
}

/** The payment of an order as the payments service lists it, and (Stripe mode) what Stripe holds. */
async function paymentOf(token: string, orderId: string): Promise<Payment> {
  const payments = await call("GET", "/payments", { token });
  expect(payments.status).toBe(200);
  const payment = payments.body.items.find((p: Payment) => p.orderId === orderId);
  expect(payment, "the order's payment").toBeDefined();
  if (currentMode() === "stripe") {
    const [intent] = await fakeStripe().intents(orderId);
    expect(intent).toMatchObject({ amount: payment.amount, currency: "eur" });
  }
  return payment;
}

describeEachMode("a shopper in Germany buys in euros", () => {
  it("over HTTP: a variant of a seeded apparel product → cart, order and payment in EUR", async () => {
    const shirt = await shirtInGermany();
    const a = aSizeAndColour(shirt);
    const b = aSizeAndColour(shirt, [a.id]);
    for (const v of [a, b]) expect(v.price.currency).toBe("EUR");
    const { accessToken: token } = await registerAndLogin("de-eur");

    for (const [v, quantity] of [
      [a, 2],
      [b, 1],
    ] as const) {
      const added = await call("POST", "/cart/items", {
        token,
        headers: DE,
        body: { productId: shirt.id, variantId: v.id, quantity },
      });
      expect(added.status, JSON.stringify(added.body)).toBe(200);
      expect(added.body).toMatchObject({ market: "eu", currency: "EUR" });
    }
    const expected = a.price.amount * 2 + b.price.amount;
    const cart = await call("GET", "/cart", { token, headers: DE });
    expect(cart.body.total).toEqual({ amount: expected, currency: "EUR" });

    const placed = await call("POST", "/orders", {
      token,
      headers: { ...DE, "idempotency-key": `de-${crypto.randomUUID()}` },
      body: { shippingAddress: ADDRESS, paymentMethod: "pm_card_visa" },
    });
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);
    const order = await settle(token, placed.body.id, "paid");
    expect(order).toMatchObject({ market: "eu", currency: "EUR", total: { amount: expected, currency: "EUR" } });
    const lines = (order as unknown as { lines: { variantId: string; unitPrice: Money; quantity: number }[] }).lines;
    expect(lines.map((l) => [l.variantId, l.unitPrice, l.quantity])).toEqual([
      [a.id, a.price, 2],
      [b.id, b.price, 1],
    ]);
    const payment = await paymentOf(token, placed.body.id);
    expect(payment).toMatchObject({ amount: expected, currency: "EUR", status: "succeeded" });
  });
});

describeEachMode("the German shopper's journey in the storefront (Chromium)", () => {
  const browser = useBrowser();

  const radio = (page: Page, option: string, value: string) =>
    page.locator(`.variant-picker input[type=radio][name="option-${option}"][value="${value}"]`);
  const choose = async (page: Page, option: string, value: string) =>
    page.locator(`label[for="${await radio(page, option, value).getAttribute("id")}"]`).click();

  it("sees EUR prices and photos, picks a size and colour, checks out and pays in EUR", async () => {
    const shirt = await shirtInGermany();
    if (shirt.images.length === 0) {
      // The shirt's photo, as staff would upload it (the seed draws images for other products).
      const photo = png(96, (x: number, y: number) => [40 + x, 90 + y, 160]);
      const res = await fetch(`${baseUrl()}/products/${shirt.id}/images?alt=${encodeURIComponent("The T-shirt")}`, {
        method: "PUT",
        headers: { authorization: `Bearer ${await admin()}`, "content-type": "image/png" },
        body: new Uint8Array(photo),
      });
      expect(res.status).toBe(201);
    }
    const want = aSizeAndColour(shirt);
    const user = await registerAndLogin("de-browser");

    const shopper = await browser.open();
    const { page, context } = shopper;
    await context.setExtraHTTPHeaders(DE);
    await page.goto("/#/login");
    await page.getByLabel("Email").fill(user.email);
    await page.getByLabel("Password").fill(user.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL((url) => !url.hash.startsWith("#/login"));

    // The catalog: euro prices and the products' photos (the kitchen shelf has the seeded ones).
    await page.goto("/#/products");
    expect(await page.getByLabel("Prices for").inputValue()).toBe("eu");
    const prices = page.locator("#product-list .card .price");
    await expect.poll(() => prices.first().textContent(), { timeout: 10_000 }).toContain("€");
    await page.getByRole("checkbox", { name: /^Kitchen/ }).check();
    await expect
      .poll(() => page.locator("#product-list img.product-img").count(), { timeout: 10_000 })
      .toBeGreaterThan(2);
    for (const text of await prices.allTextContents()) expect(text).toContain("€");
    const photos = page.locator("#product-list img.product-img");
    for (let i = 0; i < (await photos.count()); i++) {
      const photo = photos.nth(i);
      await photo.scrollIntoViewIfNeeded();
      await expect
        .poll(() => photo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0), {
          timeout: 10_000,
        })
        .toBe(true);
    }
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, "catalog-eur-images");

    // The shirt: its photo, and a size and colour with the variant's euro price.
    await page.goto(`/#/product/${shirt.id}`);
    await page.locator(".variant-picker").waitFor();
    await expect
      .poll(
        () => page.locator(".gallery-main").evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0),
        {
          timeout: 10_000,
        },
      )
      .toBe(true);
    await choose(page, "size", want.options.size as string);
    await choose(page, "colour", want.options.colour as string);
    await expect.poll(() => page.locator("#product-sku").textContent()).toContain(want.sku);
    const shown = (await page.locator("#product-price").textContent()) ?? "";
    expect(shown).toContain("€");
    expect(shown.replace(/[^\d]/g, "")).toBe(String(want.price.amount));
    await screenshot(page, "product-variant-eur");
    await page.getByRole("button", { name: "Add to cart" }).click();
    await expect.poll(() => page.locator("#cart-count").textContent()).toBe("1");

    // Checkout, paid by card: the order and its payment are in euros.
    await page.goto("/#/checkout");
    await page.locator("main h1").first().waitFor();
    await page.getByLabel("Full name").fill("Ada Lovelace");
    await page.getByLabel("Address line 1").fill("12 Analytical Row");
    await page.getByLabel("Postal code").fill("10115");
    await page.getByLabel("City").fill("Berlin");
    await page.getByLabel("Country").selectOption("DE");
    await page.getByLabel(/4242/).check();
    await page.getByRole("button", { name: /Place order/ }).click();
    await page.waitForURL(/#\/orders\/ord_/);
    await page.locator('.order-status [data-status="paid"]').waitFor({ timeout: 30_000 });
    const orderId = ((await page.locator(".order-id").textContent()) ?? "").trim();
    expect(orderId).toMatch(/^ord_/);

    const order = await call("GET", `/orders/${orderId}`, { token: user.accessToken });
    // The line is at the euro price; the order charges the checkout's breakdown (the line plus
    // the delivery chosen, VAT included in Germany), and the payment is that total in euros.
    expect(order.body).toMatchObject({ market: "eu", currency: "EUR" });
    expect(order.body.lines[0].unitPrice).toEqual(want.price);
    expect(order.body.breakdown.subtotal).toBe(want.price.amount);
    expect(order.body.total).toEqual({ amount: order.body.breakdown.total, currency: "EUR" });
    const payment = await paymentOf(user.accessToken, orderId);
    expect(payment).toMatchObject({ amount: order.body.breakdown.total, currency: "EUR" });
  }, 120_000);
});
