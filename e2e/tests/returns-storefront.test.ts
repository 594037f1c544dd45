import { describe, expect, it } from "vitest";
import { screenshot, signIn, useBrowser } from "../support/browser";
import { ADMIN, call, registerAndLogin } from "../support/http";
import { addToCart, admin, createProduct, placeOrder, settle } from "../support/shop";

describe("returns in the storefront", () => {
  const browser = useBrowser();

  it("the shopper asks for a return on the order page; staff approve and receive it on Admin: returns", async () => {
    const product = await createProduct(4, { price: 1800, name: `Return Vase ${Date.now().toString(36)}` });
    const buyer = await registerAndLogin("returnsui");
    await addToCart(buyer.accessToken, product.id, 2);
    const placed = await placeOrder(buyer.accessToken, `returns-ui-${Date.now()}`);
    expect(placed.status).toBe(201);
    const orderId = placed.body.id as string;
    await settle(buyer.accessToken, orderId, "paid");
    const adminToken = await admin();
    await call("POST", `/orders/${orderId}/ship`, {
      token: adminToken,
      body: { carrier: "DHL", trackingNumber: "JJD1" },
    });
    await call("POST", `/orders/${orderId}/deliver`, { token: adminToken });

    const customer = await browser.open();
    await signIn(customer.page, buyer);
    await customer.page.goto(`/#/orders/${orderId}`);
    await customer.page.locator("#return-qty-0").fill("1");
    await customer.page.getByLabel("Reason").selectOption("damaged");
    await customer.page.getByRole("button", { name: "Request a return" }).click();
    await expect
      .poll(() => customer.page.locator("#return-list li").first().textContent(), { timeout: 10_000 })
      .toContain("Requested");
    await screenshot(customer.page, "returns-order-page");
    const returnId = await customer.page.locator("#return-list li").first().getAttribute("data-return-id");
    expect(returnId).toMatch(/^ret_/);

    const staff = await browser.open();
    await signIn(staff.page, ADMIN);
    await staff.page.goto("/#/admin/returns");
    const row = staff.page.locator(`#admin-returns tr[data-return-id="${returnId}"]`);
    await row.getByRole("button", { name: "Approve" }).click();
    await expect.poll(() => row.locator("[data-status]").getAttribute("data-status")).toBe("approved");
    await row.getByRole("button", { name: "Mark received and refund" }).click();
    await expect.poll(() => row.locator("[data-status]").getAttribute("data-status")).toMatch(/^(received|refunded)$/);
    await expect.poll(() => row.textContent()).toContain("$18.00");
    await screenshot(staff.page, "returns-admin");

    await customer.page.reload();
    await expect
      .poll(() => customer.page.locator(`#return-list li[data-return-id="${returnId}"]`).textContent(), {
        timeout: 15_000,
      })
      .toContain("refunded $18.00");
  });
});
