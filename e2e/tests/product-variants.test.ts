import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { screenshot, useBrowser } from "../support/browser";
import { ADMIN, call, registerAndLogin } from "../support/http";
import { addToCart, admin, createProduct, placeOrder } from "../support/shop";

/**
 * Options and variants in the storefront (ADR 0029, 0026): the product page's picker over the
 * seeded T-shirt (sizes × colours, one combination missing, some sold out), option-value facets
 * in the catalog, and the admin variants grid with each variant's stock.
 */

type Variant = {
  id: string;
  sku: string;
  options: Record<string, string>;
  price: { amount: number; currency: string };
  available: boolean;
};
type Detail = { id: string; name: string; options: { name: string; values: string[] }[]; variants: Variant[] };

async function shirt(): Promise<Detail> {
  const found = await call("GET", "/products?q=cotton%20t-shirt");
  const item = found.body.items.find((p: { name: string }) => p.name === "Organic Cotton T-Shirt");
  expect(item, "the seeded T-shirt").toBeDefined();
  const res = await call("GET", `/products/${item.id}`);
  expect(res.status).toBe(200);
  return res.body;
}

const money = (m: { amount: number }) => `$${(m.amount / 100).toFixed(2)}`;

describe("option values as catalog facets (through the gateway)", () => {
  it("filters on a size, counts sizes and colours, and names a bad option filter", async () => {
    const all = await call("GET", "/products?limit=100");
    const size = all.body.facets.options.find((o: { name: string }) => o.name === "size");
    expect(size.values.map((v: { value: string }) => v.value)).toEqual(["XS", "S", "M", "L", "XL", "XXL"]);
    const m = size.values.find((v: { value: string }) => v.value === "M").count;
    const filtered = await call("GET", "/products?limit=100&option=size:M");
    expect(filtered.status).toBe(200);
    expect(filtered.body.items.length).toBe(m);
    expect(filtered.body.items.map((p: { name: string }) => p.name)).toContain("Organic Cotton T-Shirt");

    const bad = await call("GET", "/products?option=size");
    expect(bad.status).toBe(400);
    expect(bad.headers.get("content-type")).toContain("application/problem+json");
    expect(bad.body.errors.map((e: { path: string }) => e.path)).toEqual(["option"]);
  });
});

describe("variants in the storefront", () => {
  const { open } = useBrowser();

  const radio = (page: Page, option: string, value: string) =>
    page.locator(`.variant-picker input[type=radio][name="option-${option}"][value="${value}"]`);

  it("the picker shows the shirt's sizes and colours, disables missing and sold-out combinations, and follows the choice", async () => {
    const p = await shirt();
    const { page } = await open();
    await page.goto(`/#/product/${p.id}`);
    await page.locator(".variant-picker").waitFor();

    // One radio group per option, named by its legend, with every value.
    for (const o of p.options) {
      const group = page.getByRole("group", { name: o.name.charAt(0).toUpperCase() + o.name.slice(1) });
      expect(
        await group.locator("input[type=radio]").evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value)),
      ).toEqual(o.values);
    }

    // XXL/Sand does not exist: with XXL chosen, Sand is disabled and says so.
    const xxl = p.variants.find((v) => v.options.size === "XXL" && v.available) as Variant;
    await page
      .locator(`label[for="${await radio(page, "colour", xxl.options.colour as string).getAttribute("id")}"]`)
      .click();
    await page.locator(`label[for="${await radio(page, "size", "XXL").getAttribute("id")}"]`).click();
    expect(await radio(page, "size", "XXL").isChecked()).toBe(true);
    expect(await radio(page, "colour", "Sand").isDisabled()).toBe(true);
    expect(
      await page.locator(`label[for="${await radio(page, "colour", "Sand").getAttribute("id")}"]`).textContent(),
    ).toContain("not available");
    // The chosen variant's price (XXL costs more) and SKU, announced politely.
    await expect.poll(() => page.locator("#product-sku").textContent()).toContain(xxl.sku);
    expect(await page.locator("#product-price").textContent()).toBe(money(xxl.price));
    expect(await page.locator("#variant-status").textContent()).toContain(money(xxl.price));

    // A sold-out combination is disabled and says so.
    const sold = p.variants.find((v) => !v.available) as Variant;
    expect(sold, "the seed has a sold-out shirt").toBeDefined();
    const other = p.variants.find((v) => v.options.colour === sold.options.colour && v.available) as Variant;
    await page
      .locator(`label[for="${await radio(page, "size", other.options.size as string).getAttribute("id")}"]`)
      .click();
    await page
      .locator(`label[for="${await radio(page, "colour", sold.options.colour as string).getAttribute("id")}"]`)
      .click();
    const soldRadio = radio(page, "size", sold.options.size as string);
    expect(await soldRadio.isDisabled()).toBe(true);
    expect(await page.locator(`label[for="${await soldRadio.getAttribute("id")}"]`).textContent()).toContain(
      "sold out",
    );
    await expect.poll(() => page.locator("#product-sku").textContent()).toContain(other.sku);
    await screenshot(page, "product-variant-picker");

    // The keyboard moves within a group (arrow keys skip disabled values and choose).
    await radio(page, "colour", sold.options.colour as string).focus();
    await page.keyboard.press("ArrowRight");
    const chosen = await page.evaluate(() => (document.activeElement as HTMLInputElement).value);
    expect(chosen).not.toBe(sold.options.colour);
    expect(await radio(page, "colour", chosen).isChecked()).toBe(true);
    const now = p.variants.find((v) => v.options.size === other.options.size && v.options.colour === chosen) as Variant;
    await expect.poll(() => page.locator("#product-sku").textContent()).toContain(now.sku);

    // Add to cart sends the chosen variant.
    const request = page.waitForRequest((r) => r.url().endsWith("/cart/items") && r.method() === "POST");
    await page.getByRole("button", { name: "Add to cart" }).click();
    // (The default variant goes as the product alone: the same line by contract, ADR 0029.)
    const defaultId = `var_${p.id.slice(4)}`;
    expect(now.id).not.toBe(defaultId);
    expect((await request).postDataJSON()).toEqual({ productId: p.id, variantId: now.id, quantity: 1 });
  });

  it("a simple product has no picker and adds the product alone", async () => {
    const product = await createProduct(4, { name: `Plain vase ${Date.now()}` });
    const { page } = await open();
    await page.goto(`/#/product/${product.id}`);
    await page.getByRole("button", { name: "Add to cart" }).waitFor();
    expect(await page.locator(".variant-picker").count()).toBe(0);
    const request = page.waitForRequest((r) => r.url().endsWith("/cart/items") && r.method() === "POST");
    await page.getByRole("button", { name: "Add to cart" }).click();
    expect((await request).postDataJSON()).toEqual({ productId: product.id, quantity: 1 });
  });

  it("ticking a size narrows the catalog; Back and Clear filters widen it again", async () => {
    const { page } = await open();
    await page.goto("/#/products");
    const cards = page.locator("#product-list > li");
    await cards.first().waitFor();
    const box = page.locator("#facet-option-size-M");
    const label = (await page.locator(`label[for="facet-option-size-M"]`).textContent()) ?? "";
    const count = Number(/\((\d+)\)/.exec(label)?.[1]);
    expect(count).toBeGreaterThan(0);
    expect(count).toBeLessThan(12);
    expect(await page.getByRole("group", { name: "Size" }).count()).toBe(1);
    await box.check();
    await expect.poll(() => cards.count()).toBe(count);
    expect(decodeURIComponent(page.url())).toContain("option=size:M");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("facet-option-size-M");
    const names = await page.locator("#product-list .card-title").allTextContents();
    expect(names).toContain("Organic Cotton T-Shirt");

    await page.goBack();
    await expect.poll(() => cards.count()).toBe(12);
    await page.goForward();
    await expect.poll(() => cards.count()).toBe(count);
    await page.getByRole("button", { name: "Clear filters" }).click();
    await expect.poll(() => cards.count()).toBe(12);
    expect(await page.locator("#facet-option-size-M").isChecked()).toBe(false);
  });

  it("the admin grid shows each variant's on hand, reserved and available, and an edit persists", async () => {
    const token = await admin();
    const name = `Grid hoodie ${Date.now()}`;
    const product = await createProduct(5, { name, price: 4000 });
    const base = `/products/${product.id}`;
    expect(
      (await call("PUT", `${base}/options`, { token, body: { options: [{ name: "size", values: ["S", "M"] }] } }))
        .status,
    ).toBe(200);
    const m = await call("POST", `${base}/variants`, {
      token,
      body: { sku: `${product.sku}-M`, options: { size: "M" }, initialStock: 7 },
    });
    expect(m.status).toBe(201);
    // A buyer's order waiting for payment holds 2 of the default variant (size S).
    const buyer = await registerAndLogin("variants-grid");
    await addToCart(buyer.accessToken, product.id, 2);
    const order = await placeOrder(buyer.accessToken, `variants-grid-${Date.now()}`, "pm_card_authenticationRequired");
    expect(order.status, JSON.stringify(order.body)).toBe(201);

    const { page } = await open();
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
    await row.getByRole("button", { name: `Variants of ${name}` }).click();
    const grid = page.locator(`#variants-${product.id} .variants-table`);
    await grid.waitFor();
    const cells = async (size: string) => {
      const tr = grid
        .locator("tbody tr")
        .filter({ has: page.locator("td.option-cell", { hasText: new RegExp(`^${size}$`) }) });
      return {
        onHand: await tr.locator('input[name="onHand"]').inputValue(),
        reserved: await tr.locator("td.reserved").textContent(),
        available: await tr.locator("td.available").textContent(),
      };
    };
    // The hold shows once the order has reserved (it does so before answering, or soon after).
    await expect.poll(() => cells("S")).toEqual({ onHand: "5", reserved: "2", available: "3" });
    expect(await cells("M")).toEqual({ onHand: "7", reserved: "0", available: "7" });

    // Edit M: price, on hand and SKU, saved in place; the API reads them back.
    const mRow = grid.locator(`tr[data-variant-id="${m.body.id}"]`);
    await mRow.locator('input[name="price"]').fill("45.50");
    await mRow.locator('input[name="onHand"]').fill("12");
    await mRow.locator('input[name="sku"]').fill(`${product.sku}-MED`);
    await mRow.getByRole("button", { name: /^Save/ }).click();
    await expect.poll(() => mRow.locator("td.available").textContent()).toBe("12");
    await page.locator(".table-scroll").evaluate((el) => {
      el.scrollLeft = 0;
    });
    await screenshot(page, "admin-variants-grid");
    const listed = await call("GET", `${base}/variants`, { token });
    const saved = listed.body.items.find((v: { id: string }) => v.id === m.body.id);
    expect(saved).toMatchObject({ sku: `${product.sku}-MED`, price: { amount: 4550 }, onHand: 12, reserved: 0 });

    // Edit the options (a new size L), then add that variant with its own stock.
    const cell = page.locator(`#variants-${product.id}`);
    await cell.getByText("Edit options").click();
    await cell.getByLabel("Option 1 values (comma-separated, in order)").fill("S, M, L");
    await cell.getByRole("button", { name: "Save options" }).click();
    await expect.poll(() => page.locator("#flash").textContent()).toContain("Saved the options");
    await cell.getByText("Add a variant").click();
    await cell.getByLabel("size", { exact: true }).selectOption("L");
    await cell.getByLabel("SKU", { exact: true }).fill(`${product.sku}-L`);
    await cell.getByLabel("Initial stock").fill("3");
    await cell.getByRole("button", { name: "Add variant" }).click();
    await expect.poll(() => grid.locator("tbody tr").count()).toBe(3);
    expect(await cells("L")).toEqual({ onHand: "3", reserved: "0", available: "3" });
    const after = await call("GET", `${base}/variants`, { token });
    expect(after.body.options).toEqual([{ name: "size", values: ["S", "M", "L"] }]);
  });

  it("the admin grid shows each market's price; an edited euro price is what a shopper in Germany sees", async () => {
    const token = await admin();
    const signIn = async (page: Page) => {
      await page.goto("/#/login");
      await page.getByLabel("Email").fill(ADMIN.email);
      await page.getByLabel("Password").fill(ADMIN.password);
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.waitForURL((url) => !url.hash.startsWith("#/login"));
    };
    const gridOf = async (page: Page, id: string, name: string) => {
      await page.goto("/#/admin/products");
      await page.getByLabel("Find products").fill(name);
      await page.getByRole("button", { name: "Search" }).click();
      const row = page.locator(`#admin-products tr[data-product-id="${id}"]`);
      await row.waitFor();
      await row.getByRole("button", { name: `Variants of ${name}` }).click();
      const grid = page.locator(`#variants-${id} .variants-table`);
      await grid.waitFor();
      return grid;
    };
    const { page } = await open();
    await signIn(page);

    // A seeded product: its euro and pound prices fill their own columns, named with the currency.
    const seeded = "prd_01jdseed000000000000000001";
    const seededName = (await call("GET", `/products/${seeded}`)).body.name as string;
    const prices = await call("GET", `/products/${seeded}/prices`, { token });
    expect(prices.status).toBe(200);
    let grid = await gridOf(page, seeded, seededName);
    const heads = await grid.locator("thead th").allTextContents();
    expect(heads.some((t) => t.includes("(EUR)"))).toBe(true);
    expect(heads.some((t) => t.includes("(GBP)"))).toBe(true);
    const seededLine = (market: string) =>
      prices.body.items.find((l: { market: string }) => l.market === market) as { variantId: string; amount: number };
    for (const market of ["eu", "gb"]) {
      const line = seededLine(market);
      expect(line, `the seed prices ${market}`).toBeDefined();
      expect(
        await grid.locator(`tr[data-variant-id="${line.variantId}"] input[name="price-${market}"]`).inputValue(),
      ).toBe((line.amount / 100).toFixed(2));
    }

    // A new product priced in both markets over the API; its euro price edited in the grid.
    const name = `Market mug ${Date.now()}`;
    const product = await createProduct(5, { name, price: 2000 });
    const base = `/products/${product.id}`;
    const set = await call("PUT", `${base}/prices`, {
      token,
      body: {
        prices: [
          { market: "eu", amount: 1900 },
          { market: "gb", amount: 1700 },
        ],
      },
    });
    expect(set.status, JSON.stringify(set.body)).toBeLessThan(300);
    grid = await gridOf(page, product.id, name);
    const row = grid.locator("tbody tr").first();
    expect(await row.locator('input[name="price-eu"]').inputValue()).toBe("19.00");
    expect(await row.locator('input[name="price-gb"]').inputValue()).toBe("17.00");
    await row.locator('input[name="price-eu"]').fill("21.50");
    await row.getByRole("button", { name: /^Save/ }).click();
    await expect.poll(() => page.locator("#flash").textContent()).toContain("Saved");
    await screenshot(page, "admin-variants-market-prices");
    const after = await call("GET", `${base}/prices`, { token });
    expect(
      after.body.items.map((l: { market: string; amount: number; currency: string }) => [
        l.market,
        l.amount,
        l.currency,
      ]),
    ).toEqual(
      expect.arrayContaining([
        ["eu", 2150, "EUR"],
        ["gb", 1700, "GBP"],
      ]),
    );

    // A shopper in Germany sees the new euro price on the product page.
    const shopper = await open();
    await shopper.context.setExtraHTTPHeaders({ "MF-CF-Blob": JSON.stringify({ country: "DE" }) });
    await shopper.page.goto(`/#/product/${product.id}`);
    await expect
      .poll(() => shopper.page.locator("#product-price").textContent(), { timeout: 10_000 })
      .toContain("21.50");
    expect(await shopper.page.locator("#product-price").textContent()).toContain("€");
  });
});
