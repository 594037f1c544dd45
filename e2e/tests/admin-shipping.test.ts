import { afterAll, describe, expect, it } from "vitest";
import { screenshot, signIn, useBrowser } from "../support/browser";
import { ADMIN, call, registerAndLogin } from "../support/http";
import { addToCart, admin, createProduct } from "../support/shop";

// The admin shipping page (ADR 0033): the seeded zones and methods are listed; a zone made on
// the page with a flat-rate method is what the checkout quote offers for its country; a bad
// country code is shown under the countries field; deleting the method and the zone removes
// them. A country needs tax rates to be quoted, and every country with rates starts in a seeded
// zone, so the test lends one (AU, which no other test ships to) and gives it back afterwards.

type Zone = { id: string; name: string; countries: string[] };
const TAXED = ["AU", "CA", "CH", "JP", "IE", "SE", "NL", "AT", "BE", "ES", "IT", "FR", "DE", "GB"];

describe("admin: shipping", () => {
  const browser = useBrowser();
  const suffix = Date.now().toString(36);
  const zoneId = `e2e-zone-${suffix}`;
  const methodId = `e2e-flat-${suffix}`;
  let lent: Zone | undefined;

  afterAll(async () => {
    // Whatever the test left behind: its method, its zone, then the lent country back home.
    const token = await admin();
    await call("DELETE", `/shipping/methods/${methodId}`, { token });
    await call("DELETE", `/shipping/zones/${zoneId}`, { token });
    if (lent) {
      const back = await call("PUT", `/shipping/zones/${lent.id}`, {
        token,
        body: { name: lent.name, countries: lent.countries },
      });
      expect(back.status, JSON.stringify(back.body)).toBe(200);
    }
  });

  it("lists the seeded setup, creates a zone and a method the quote offers, edits it, shows a bad country, deletes both", async () => {
    const token = await admin();
    const before = await call("GET", "/shipping", { token });
    expect(before.status).toBe(200);
    const zones = before.body.zones as Zone[];
    expect(zones.length).toBeGreaterThan(0);
    const taken = new Set(zones.flatMap((z) => z.countries));
    let country = TAXED.find((c) => !taken.has(c));
    if (!country) {
      country = "AU";
      const home = zones.find((z) => z.countries.includes(country as string)) as Zone;
      expect(home.countries.length, "AU shares its zone").toBeGreaterThan(1);
      lent = home;
      const moved = await call("PUT", `/shipping/zones/${home.id}`, {
        token,
        body: { name: home.name, countries: home.countries.filter((c) => c !== country) },
      });
      expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    }

    const { page } = await browser.open();
    page.on("dialog", (d) => d.accept());
    await signIn(page, ADMIN);
    await page.getByRole("link", { name: "Admin: shipping" }).click();
    await expect.poll(() => page.locator("main h1").textContent(), { timeout: 10_000 }).toBe("Admin: shipping");

    // The seeded zones, each with its countries and methods.
    const us = page.locator('section[data-zone-id="us"]');
    await us.waitFor();
    expect(await us.locator(".countries").textContent()).toBe("Countries: US");
    const usStandard = us.locator('tr[data-method-id="us-standard"]');
    expect(await usStandard.locator(".rate").textContent()).toBe("$5.99, free from $50.00");
    expect(await usStandard.locator(".active").textContent()).toBe("Active");
    expect(await page.locator('section[data-zone-id="eu"] tr[data-method-id="eu-standard"]').count()).toBe(1);

    // A bad country code is named under the countries field.
    const zoneForm = page.locator("#zone-form");
    await zoneForm.getByLabel("Zone id").fill(zoneId);
    await zoneForm.getByLabel("Zone name").fill("E2E Down Under");
    await zoneForm.getByLabel("Countries (ISO codes)").fill(`${country}, X1`);
    await zoneForm.getByRole("button", { name: "Save zone" }).click();
    const countriesError = zoneForm.locator('[data-error-for="countries"]');
    await expect.poll(() => countriesError.textContent()).toContain("ISO 3166-1 alpha-2");
    expect(await zoneForm.getByLabel("Countries (ISO codes)").getAttribute("aria-invalid")).toBe("true");

    // Fixed: the zone appears with its country.
    await zoneForm.getByLabel("Countries (ISO codes)").fill(country);
    await zoneForm.getByRole("button", { name: "Save zone" }).click();
    const zone = page.locator(`section[data-zone-id="${zoneId}"]`);
    await zone.waitFor();
    expect(await zone.locator(".countries").textContent()).toBe(`Countries: ${country}`);
    await expect.poll(() => page.locator("#flash").textContent()).toBe("Zone “E2E Down Under” created.");

    // A flat-rate method of that zone.
    const methodForm = page.locator("#method-form");
    await methodForm.getByLabel("Method id").fill(methodId);
    await methodForm.getByLabel("Zone").selectOption(zoneId);
    await methodForm.getByLabel("Method name").fill("E2E courier");
    await methodForm.getByLabel("Rate").selectOption("flat");
    await methodForm.getByLabel("Cost USD").fill("7.25");
    await methodForm.getByLabel("Cost EUR").fill("6.50");
    await methodForm.getByRole("button", { name: "Save method" }).click();
    const row = zone.locator(`tr[data-method-id="${methodId}"]`);
    await row.waitFor();
    expect(await row.locator(".rate").textContent()).toBe("Flat $7.25 / €6.50");
    await screenshot(page, "admin-shipping");

    // The quote for an address in that country offers the method at that price.
    const buyer = await registerAndLogin("admship");
    const product = await createProduct(5, { price: 2000 });
    await addToCart(buyer.accessToken, product.id, 1);
    const quote = await call("POST", "/checkout/quote", {
      token: buyer.accessToken,
      body: { address: { country } },
    });
    expect(quote.status, JSON.stringify(quote.body)).toBe(200);
    expect(quote.body.shippingOptions).toEqual([
      { methodId, name: "E2E courier", cost: 725, unavailable: null, selected: true },
    ]);
    expect(quote.body.breakdown.shipping).toMatchObject({ methodId, cost: 725 });

    // Editing fills the form from the row; the method becomes free above $100.
    await row.getByRole("button", { name: "Edit E2E courier" }).click();
    expect(await methodForm.getByLabel("Method id").inputValue()).toBe(methodId);
    expect(await methodForm.getByLabel("Cost USD").inputValue()).toBe("7.25");
    await methodForm.getByLabel("Rate").selectOption("free_above");
    await methodForm.getByLabel("Free above USD").fill("100");
    await methodForm.getByRole("button", { name: "Save method" }).click();
    await expect.poll(() => row.locator(".rate").textContent()).toBe("$7.25 / €6.50, free from $100.00");
    await expect.poll(() => page.locator("#flash").textContent()).toBe("Method “E2E courier” saved.");

    // Deleting the method, then the zone.
    await row.getByRole("button", { name: "Delete E2E courier" }).click();
    await expect.poll(() => row.count()).toBe(0);
    await zone.getByRole("button", { name: "Delete zone E2E Down Under" }).click();
    await expect.poll(() => zone.count()).toBe(0);
    await expect.poll(() => page.locator("#flash").textContent()).toBe("Zone “E2E Down Under” deleted.");
    const after = await call("GET", "/shipping", { token });
    expect(after.body.zones.some((z: Zone) => z.id === zoneId)).toBe(false);
    expect(after.body.methods.some((m: { id: string }) => m.id === methodId)).toBe(false);
  });
});
