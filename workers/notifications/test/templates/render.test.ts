import { NotificationType } from "@shop/contracts";
import { describe, expect, it } from "vitest";
import { greeted, render } from "../../src/templates/render";
import { notification } from "../helpers";

const USER = "usr_01jd8x3v4k2m9q7r5t6w8y0zab";

describe("templates", () => {
  it("every type renders a subject, text, HTML and SMS that greet the user", () => {
    for (const type of NotificationType.options) {
      const out = render(notification(type, USER), { name: "Ada" }, type === "admin.message");
      expect(out.subject.length, type).toBeGreaterThan(0);
      expect(out.text, type).toContain("Hi Ada,");
      expect(out.html, type).toContain("Hi Ada,");
      expect(out.sms.length, type).toBeGreaterThan(0);
      expect(out.sms.length, type).toBeLessThanOrEqual(320);
    }
  });

  it("subjects and SMS never quote the user's name, whatever the type", () => {
    for (const type of NotificationType.options) {
      const out = render(notification(type, USER), { name: "Zebulon Quixote" }, type === "admin.message");
      expect(out.subject, type).not.toContain("Zebulon");
      expect(out.sms, type).not.toContain("Zebulon");
    }
  });

  it("greets by name only a verified address", () => {
    expect(greeted({ name: "Mallory", emailVerified: true })).toEqual({ name: "Mallory" });
    expect(greeted({ name: "Mallory", emailVerified: false })).toEqual({ name: "there" });
    expect(greeted({ name: "Mallory" })).toEqual({ name: "there" });
    const out = render(notification("user.registration_attempt", USER), greeted({ name: "Mallory" }), false);
    expect(out.text).toContain("Hi there,");
    expect(`${out.text}${out.html}`).not.toContain("Mallory");
  });

  it("the verification email links to the storefront's verify page with the token, escaped in HTML", () => {
    const token = "Tok3n_with-dash_0123456789abcdefghijklmnopq";
    const out = render(
      notification("user.email_verification", USER, { data: { token, expiresAt: "2026-11-30T00:00:00.000Z" } }),
      { name: "Ada" },
      false,
      { shopUrl: "https://shop.example.com/" },
    );
    expect(out.subject).toBe("Confirm your email address");
    expect(out.text).toContain(`https://shop.example.com/#/verify-email?token=${token}`);
    expect(out.html).toContain(`href="https://shop.example.com/#/verify-email?token=${token}"`);
  });

  it("the phone code SMS carries the code and nothing else personal", () => {
    const out = render(
      notification("user.phone_code", USER, {
        data: { code: "048213", phone: "+14155550123", expiresAt: "2026-11-30T00:00:00.000Z" },
      }),
      { name: "Ada" },
      false,
    );
    expect(out.sms).toBe("Shop: your verification code is 048213. It expires in 10 minutes. Never share it.");
  });

  it("order confirmation lists lines and formats money for its currency", () => {
    const out = render(
      notification("order.confirmed", USER, {
        data: {
          orderId: "ord_01jd8x3v4k2m9q7r5t6w8y0zab",
          total: { amount: 1500, currency: "JPY" },
          lines: [{ name: "Matcha", quantity: 3, unitPrice: { amount: 500, currency: "JPY" } }],
        },
      }),
      { name: "Ada" },
      false,
    );
    expect(out.subject).toBe("Order ord_01jd8x3v4k2m9q7r5t6w8y0zab confirmed");
    expect(out.text).toContain("3 × Matcha");
    expect(out.text).toContain("Total: ¥1,500");
    expect(out.html).toContain("¥1,500");
  });

  it("order confirmation prints the breakdown: subtotal, discount with its code, shipping, tax, total", () => {
    const breakdown = {
      subtotal: 5000,
      discount: 500,
      codes: ["TEN"],
      shipping: { methodId: "eu-standard", name: "Standard", amount: 490 },
      tax: { amount: 796, inclusive: true },
      total: 4990,
    };
    const out = render(
      notification("order.confirmed", USER, {
        data: {
          orderId: "ord_01jd8x3v4k2m9q7r5t6w8y0zab",
          total: { amount: 4990, currency: "EUR" },
          lines: [{ name: "Mug", quantity: 1, unitPrice: { amount: 5000, currency: "EUR" } }],
          breakdown,
        },
      }),
      { name: "Ada" },
      false,
    );
    for (const part of [out.text, out.html]) {
      expect(part).toContain("€50.00");
      expect(part).toContain("Discount (TEN)");
      expect(part).toContain("−€5.00");
      expect(part).toContain("Shipping (Standard)");
      expect(part).toContain("€4.90");
      expect(part).toContain("Tax (incl.)");
      expect(part).toContain("€7.96");
      expect(part).toContain("€49.90");
    }
    expect(out.sms).toBe(
      "Shop: order ord_01jd8x3v4k2m9q7r5t6w8y0zab confirmed, total €49.90. Subtotal €50.00, discount −€5.00 (TEN), shipping €4.90, tax €7.96 included.",
    );
    const us = render(
      notification("order.confirmed", USER, {
        data: {
          orderId: "ord_01jd8x3v4k2m9q7r5t6w8y0zab",
          total: { amount: 3431, currency: "USD" },
          lines: [{ name: "Mug", quantity: 1, unitPrice: { amount: 3000, currency: "USD" } }],
          breakdown: { ...breakdown, subtotal: 3000, discount: 0, codes: [], tax: { amount: 132, inclusive: false } },
        },
      }),
      { name: "Ada" },
      false,
    );
    expect(us.text).toContain("Tax (excl., added): $1.32");
    expect(us.text).not.toContain("Discount");
    expect(us.sms).toContain("tax $1.32 added.");
  });

  it("shipping names the carrier and tracking number; refunds show the amount", () => {
    const shipped = render(notification("order.shipped", USER), { name: "Ada" }, false);
    expect(shipped.text).toContain("Carrier: UPS");
    expect(shipped.html).toContain("Tracking number: 1Z999AA10123456784");
    const refunded = render(notification("order.refunded", USER), { name: "Ada" }, false);
    expect(refunded.text).toContain("$49.98");
  });

  it("escapes every value in HTML: a <script> product name arrives as text", () => {
    const out = render(
      notification("order.confirmed", USER, {
        data: {
          orderId: "ord_01jd8x3v4k2m9q7r5t6w8y0zab",
          total: { amount: 100, currency: "EUR" },
          lines: [{ name: '<script>alert("x")</script>', quantity: 1, unitPrice: { amount: 100, currency: "EUR" } }],
        },
      }),
      { name: "<img src=x onerror=alert(1)>" },
      false,
    );
    expect(out.html).not.toContain("<script>");
    expect(out.html).not.toContain("<img");
    expect(out.html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
    expect(out.html).toContain("Hi &lt;img src=x onerror=alert(1)&gt;,");
    // The text part is plain text: it carries the name as written.
    expect(out.text).toContain('<script>alert("x")</script>');
  });

  it("admin messages escape their body and mention how to opt out", () => {
    const out = render(
      notification("admin.message", USER, { data: { subject: "Sale & <b>more</b>", body: "line 1\n<i>line 2</i>" } }),
      { name: "Ada" },
      true,
    );
    expect(out.html).toContain("<title>Sale &amp; &lt;b&gt;more&lt;/b&gt;</title>");
    expect(out.html).toContain("<p>&lt;i&gt;line 2&lt;/i&gt;</p>");
    expect(out.text).toContain("unsubscribe");
  });
});

describe("return templates", () => {
  const base = {
    orderId: "ord_01jd8x3v4k2m9q7r5t6w8y0zab",
    number: 10042,
    returnId: "ret_01jd8x3v4k2m9q7r5t6w8y0zab",
    items: [{ name: "Mug <b>", quantity: 2 }],
  };

  it("requested and approved list the items; approval names the return reference to put in the parcel", () => {
    const requested = render(notification("return.requested", USER, { data: base }), { name: "Ada" }, false);
    expect(requested.subject).toBe("Return for order #10042 requested");
    expect(requested.text).toContain("2 × Mug <b>");
    expect(requested.html).toContain("2 × Mug &lt;b&gt;");
    const approved = render(notification("return.approved", USER, { data: base }), { name: "Ada" }, false);
    expect(approved.subject).toBe("Return for order #10042 approved");
    expect(approved.text).toContain(base.returnId);
    expect(approved.text).toContain("/#/orders/ord_01jd8x3v4k2m9q7r5t6w8y0zab");
  });

  it("rejected says why and that no money moved", () => {
    const out = render(
      notification("return.rejected", USER, { data: { ...base, reason: "Worn & washed" } }),
      { name: "Ada" },
      false,
    );
    expect(out.subject).toBe("Return for order #10042 not accepted");
    expect(out.text).toContain("Reason: Worn & washed");
    expect(out.html).toContain("Worn &amp; washed");
    expect(out.text).toContain("No money was taken.");
  });

  it("refunded states the amount refunded, or that there was nothing to refund", () => {
    const out = render(
      notification("return.refunded", USER, { data: { ...base, amount: 2000, currency: "USD" } }),
      { name: "Ada" },
      false,
    );
    expect(out.subject).toBe("Refund for your return from order #10042");
    expect(out.text).toContain("refunded $20.00");
    expect(out.sms).toBe("Shop: your return from order #10042 arrived; $20.00 refunded.");
    const free = render(
      notification("return.refunded", USER, { data: { ...base, amount: 0, currency: "USD" } }),
      { name: "Ada" },
      false,
    );
    expect(free.text).toContain("nothing to refund");
    expect(free.text).not.toContain("$0.00");
  });
});
