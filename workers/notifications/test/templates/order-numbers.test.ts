import type { NotificationType } from "@shop/contracts";
import { describe, expect, it } from "vitest";
import { render } from "../../src/templates/render";
import { notification } from "../helpers";

const USER = "usr_01jd8x3v4k2m9q7r5t6w8y0zab";
const ORDER = "ord_01m8kgf9n93f65z2s9npvcttjx";

/** Every message about an order, with the data each needs besides the order's id. */
const ORDER_MESSAGES: { type: NotificationType; data: Record<string, unknown> }[] = [
  {
    type: "order.confirmed",
    data: {
      total: { amount: 2499, currency: "USD" },
      lines: [{ name: "Mug", quantity: 1, unitPrice: { amount: 2499, currency: "USD" } }],
    },
  },
  { type: "payment.failed", data: { reason: "Your card was declined." } },
  { type: "order.shipped", data: { carrier: "DHL", trackingNumber: "JJD000390007" } },
  { type: "order.delivered", data: {} },
  { type: "order.cancelled", data: { reason: null, refund: "refunding", amount: 2499, currency: "USD" } },
  { type: "order.refunded", data: { amount: 2499, currency: "USD", reason: "cancelled" } },
  { type: "order.refunded", data: { amount: 2499, currency: "USD", reason: "late_payment" } },
  { type: "order.expired", data: { payment: "none" } },
];

function renderOrder(type: NotificationType, data: Record<string, unknown>) {
  return render(notification(type, USER, { data } as never), { name: "Ada" }, false, {
    shopUrl: "https://shop.example.com",
  });
}

describe("order messages name the order by its number", () => {
  for (const { type, data } of ORDER_MESSAGES) {
    it(`${type} (${JSON.stringify(data).slice(0, 40)}): #number in subject, text, HTML and SMS; the id only in the link`, () => {
      const out = renderOrder(type, { ...data, orderId: ORDER, number: 10042 });
      expect(out.text).toContain("#10042");
      expect(out.html).toContain("#10042");
      expect(out.sms).toContain("#10042");
      expect(out.sms).not.toContain(ORDER);
      if (type !== "order.refunded") expect(out.subject).toContain("#10042");
      // The id stays in the link to the order page and the reference line, nowhere else.
      expect(out.text).toContain(`View your order: https://shop.example.com/#/orders/${ORDER}`);
      expect(out.text).toContain(`Order reference: ${ORDER}`);
      expect(out.html).toContain(`href="https://shop.example.com/#/orders/${ORDER}"`);
      expect(out.text.split(ORDER)).toHaveLength(3);
    });

    it(`${type} without a number (a message queued before numbers existed) falls back to the id`, () => {
      const out = renderOrder(type, { ...data, orderId: ORDER });
      expect(out.sms).toContain(ORDER);
      expect(`${out.subject}\n${out.text}\n${out.sms}`).not.toMatch(/#\d/);
      expect(out.html).toContain(ORDER);
      expect(out.text).toContain(`order ${ORDER}`);
      expect(out.text).toContain(`View your order: https://shop.example.com/#/orders/${ORDER}`);
    });
  }

  it("prints the exact confirmation SMS and subject", () => {
    const [confirmed] = ORDER_MESSAGES;
    const out = renderOrder("order.confirmed", { ...confirmed?.data, orderId: ORDER, number: 10042 });
    expect(out.subject).toBe("Order #10042 confirmed");
    expect(out.sms).toBe("Shop: order #10042 confirmed, total $24.99.");
  });

  it("messages that are not about an order carry no order link", () => {
    const out = render(notification("user.registered", USER), { name: "Ada" }, false);
    expect(out.text).not.toContain("View your order");
    expect(out.html).not.toContain("/#/orders/");
  });
});
