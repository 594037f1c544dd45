import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, newShopper, type Shopper, screenshot } from "../support/browser";
import { baseUrl, call, registerAndLogin } from "../support/http";
import { addToCart, createProduct } from "../support/shop";

/**
 * A customer's address book through the gateway: CRUD with per-country validation, one
 * default, another customer's address as 404; and in the storefront, an address added and made
 * default on the Addresses page is preselected at checkout.
 */

const HOME = { name: "Ada Lovelace", line1: "12 Analytical Row", city: "Berlin", postalCode: "10115", country: "DE" };

describe("address book over HTTP (through the gateway)", () => {
  it("adds, lists, edits, makes default and deletes; validates per country; hides others' addresses", async () => {
    const ada = await registerAndLogin("addresses-api");
    const token = ada.accessToken;
    const key = `addr-${crypto.randomUUID()}`;
    const first = await call("POST", "/users/me/addresses", { token, body: HOME, headers: { "idempotency-key": key } });
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    const again = await call("POST", "/users/me/addresses", { token, body: HOME, headers: { "idempotency-key": key } });
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(first.body.id);
    expect(again.headers.get("idempotent-replayed")).toBe("true");

    const us = await call("POST", "/users/me/addresses", {
      token,
      body: { ...HOME, city: "Boston", postalCode: "02108", country: "US", region: "MA", isDefaultShipping: true },
    });
    expect(us.status).toBe(201);
    const badZip = await call("POST", "/users/me/addresses", {
      token,
      body: { ...HOME, postalCode: "ABC", country: "US" },
    });
    expect(badZip.status).toBe(400);
    expect(badZip.headers.get("content-type")).toContain("application/problem+json");
    expect(badZip.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(["postalCode", "region"]);

    const made = await call("PATCH", `/users/me/addresses/${first.body.id}`, {
      token,
      body: { line2: "Hinterhaus", isDefaultShipping: true },
    });
    expect(made.status).toBe(200);
    const list = await call("GET", "/users/me/addresses", { token });
    expect(list.body.items.map((a: { id: string; isDefaultShipping: boolean }) => [a.id, a.isDefaultShipping])).toEqual(
      [
        [first.body.id, true],
        [us.body.id, false],
      ],
    );

    const bob = await registerAndLogin("addresses-intruder");
    expect((await call("GET", "/users/me/addresses", { token: bob.accessToken })).body.items).toEqual([]);
    const stolen = await call("PATCH", `/users/me/addresses/${first.body.id}`, {
      token: bob.accessToken,
      body: { city: "Elsewhere" },
    });
    expect(stolen.status).toBe(404);
    expect((await call("DELETE", `/users/me/addresses/${first.body.id}`, { token: bob.accessToken })).status).toBe(404);
    expect((await call("GET", "/users/me/addresses")).status).toBe(401);

    expect((await call("DELETE", `/users/me/addresses/${us.body.id}`, { token })).status).toBe(204);
    expect((await call("GET", "/users/me/addresses", { token })).body.items).toHaveLength(1);
  });
});

describe("address book in the storefront", () => {
  let browser: Browser;
  let shopper: Shopper;
  beforeAll(async () => {
    browser = await launchBrowser();
    shopper = await newShopper(browser, baseUrl());
  });
  afterAll(async () => {
    await shopper?.context.close();
    await browser?.close();
  });

  it("adds an address, makes it the default, and checkout preselects and fills it", async () => {
    const who = await registerAndLogin("addresses-browser");
    const product = await createProduct(10, { name: "Address book mug" });
    await addToCart(who.accessToken, product.id, 1);
    const { page, errors } = shopper;

    await page.goto("/#/login");
    await page.getByLabel("Email").fill(who.email);
    await page.getByLabel("Password").fill(who.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL((url) => !url.hash.startsWith("#/login"));

    await page.getByRole("link", { name: "Addresses" }).click();
    await page.getByRole("heading", { name: "Addresses", level: 1 }).waitFor();
    await page.getByText("You have no saved addresses yet.").waitFor();

    // A US address without a state and with a bad ZIP: the server's field errors show in place.
    await page.getByLabel("Full name").fill("Ada Lovelace");
    await page.getByLabel("Address line 1").fill("1 Beacon St");
    await page.getByLabel("Postal code").fill("ABC");
    await page.getByLabel("City").fill("Boston");
    await page.getByLabel("Country").selectOption("US");
    await page.getByRole("button", { name: "Add address" }).click();
    const postalError = page.locator('[data-error-for="postalCode"]');
    await expect.poll(() => postalError.textContent()).toContain("not a valid postal code");
    expect(await page.locator('[data-error-for="region"]').textContent()).toContain("US state code");
    expect(await page.getByLabel("Postal code").getAttribute("aria-invalid")).toBe("true");

    // A first address (the box is pre-ticked for the first one: untick it), then a second, made default.
    await page.getByLabel("Country").selectOption("DE");
    await page.getByLabel("Postal code").fill("10115");
    await page.getByLabel("City").fill("Berlin");
    await page.getByLabel("Address line 1").fill("12 Analytical Row");
    await page.getByLabel("Use as my default shipping address").uncheck();
    await page.getByRole("button", { name: "Add address" }).click();
    await page.locator("li.address").first().waitFor();

    await page.getByLabel("Full name").fill("Charles Babbage");
    await page.getByLabel("Address line 1").fill("5 Difference Engine Lane");
    await page.getByLabel("Postal code").fill("SW1A 1AA");
    await page.getByLabel("City").fill("London");
    await page.getByLabel("Country").selectOption("GB");
    await page.getByRole("button", { name: "Add address" }).click();
    await expect.poll(() => page.locator("li.address").count()).toBe(2);
    expect(await page.locator(".badge-default").count()).toBe(0);

    await page.getByRole("button", { name: /Make default 5 Difference Engine Lane/ }).click();
    const first = page.locator("li.address").first();
    await expect.poll(() => first.textContent()).toContain("Default shipping address");
    expect(await first.textContent()).toContain("5 Difference Engine Lane");
    await screenshot(page, "addresses-book");

    await page.goto("/#/checkout");
    await page.getByRole("heading", { name: "Checkout" }).waitFor();
    const picker = page.getByLabel("Ship to a saved address");
    await expect.poll(() => picker.locator("option:checked").textContent()).toContain("(default)");
    expect(await page.getByLabel("Full name").inputValue()).toBe("Charles Babbage");
    expect(await page.getByLabel("Address line 1").inputValue()).toBe("5 Difference Engine Lane");
    expect(await page.getByLabel("Postal code").inputValue()).toBe("SW1A 1AA");
    expect(await page.getByLabel("Country").inputValue()).toBe("GB");
    await screenshot(page, "addresses-checkout-preselected");

    // Choosing the other saved address fills the form from it.
    await picker.selectOption({ label: "Ada Lovelace, 12 Analytical Row, 10115 Berlin, Germany" });
    expect(await page.getByLabel("City").inputValue()).toBe("Berlin");
    expect(await page.getByLabel("Country").inputValue()).toBe("DE");
    expect(errors).toEqual([]);
  });
});
