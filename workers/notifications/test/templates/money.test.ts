import { NotificationMessage, type NotificationType } from "@shop/contracts";
import { describe, expect, it } from "vitest";
import { escapeHtml } from "../../src/templates/escape";
import { render } from "../../src/templates/render";
import { notification } from "../helpers";

const USER = "usr_01jd8x3v4k2m9q7r5t6w8y0zab";
const ORDER = "ord_01jd8x3v4k2m9q7r5t6w8y0zab";
const NO_MONEY = "No money was taken";

function rendered<T extends NotificationType>(type: T, data: Record<string, unknown>) {
  const message = notification(type, USER, { data } as never);
  // What the consumer does first: the message must be valid on the queue.
  expect(NotificationMessage.safeParse(message).success, JSON.stringify(data)).toBe(true);
  return render(message, { name: "Ada" }, false);
}

/** The sentence is in the text part as written and in the HTML part, escaped, as its own paragraph. */
function expectEmailSays(out: { text: string; html: string }, sentence: string) {
  expect(out.text.split("\n")).toContain(sentence);
  expect(out.html).toContain(`<p>${escapeHtml(sentence)}</p>`);
}

describe("templates say what happened to the money", () => {
  describe("order.expired", () => {
    it('payment "none": no money was taken', () => {
      const out = rendered("order.expired", { orderId: ORDER, payment: "none" });
      expectEmailSays(out, "No money was taken.");
      expect(out.sms).toBe(`Shop: order ${ORDER} expired before it was paid. No money was taken.`);
    });

    it('payment "refunding": the late payment goes back in full, nothing to do', () => {
      const out = rendered("order.expired", { orderId: ORDER, payment: "refunding" });
      expectEmailSays(
        out,
        "Your payment reached us after the order had expired, so we are refunding it in full. You do not need to do anything.",
      );
      expect(out.sms).toBe(
        `Shop: order ${ORDER} expired before it was paid. Your payment arrived late and is being refunded in full; nothing to do.`,
      );
      for (const part of [out.text, out.html, out.sms]) expect(part).not.toContain(NO_MONEY);
    });

    it("not told (a message queued before the field existed): true either way, never “no money was taken”", () => {
      const out = rendered("order.expired", { orderId: ORDER });
      expectEmailSays(out, "If any money was taken for it, it will be refunded in full automatically.");
      expect(out.sms).toBe(
        `Shop: order ${ORDER} expired before it was paid. Any money taken for it will be refunded in full automatically.`,
      );
      for (const part of [out.text, out.html, out.sms]) expect(part).not.toContain(NO_MONEY);
    });
  });

  describe("order.cancelled", () => {
    it('refund "none": no money was taken', () => {
      const out = rendered("order.cancelled", { orderId: ORDER, reason: "Changed my mind", refund: "none" });
      expect(out.text).toContain("Reason: Changed my mind");
      expectEmailSays(out, "No money was taken.");
      expect(out.sms).toBe(`Shop: order ${ORDER} cancelled. No money was taken.`);
    });

    it('refund "refunding" with the amount: says how much comes back', () => {
      const out = rendered("order.cancelled", {
        orderId: ORDER,
        reason: null,
        refund: "refunding",
        amount: 4998,
        currency: "EUR",
      });
      expectEmailSays(out, "We are refunding €49.98 to the payment method you used.");
      expect(out.sms).toBe(`Shop: order ${ORDER} cancelled. €49.98 is being refunded to your payment method.`);
    });

    it('refund "refunding" without an amount: says money is coming back, names no sum', () => {
      const out = rendered("order.cancelled", { orderId: ORDER, reason: null, refund: "refunding" });
      expectEmailSays(out, "We are refunding your payment to the payment method you used.");
      expect(out.sms).toBe(`Shop: order ${ORDER} cancelled. Your payment is being refunded to your payment method.`);
    });

    it("not told: true either way", () => {
      const out = rendered("order.cancelled", { orderId: ORDER, reason: null });
      expectEmailSays(
        out,
        "If you were charged, your payment will be refunded in full to the payment method you used.",
      );
      expect(out.sms).toBe(`Shop: order ${ORDER} cancelled. If you were charged, you will be refunded in full.`);
      for (const part of [out.text, out.html, out.sms]) expect(part).not.toContain(NO_MONEY);
    });

    it("an amount without its currency is refused on the queue (it could not be worded)", () => {
      const message = notification("order.cancelled", USER, {
        data: { orderId: ORDER, reason: null, refund: "refunding", amount: 100 },
      } as never);
      const parsed = NotificationMessage.safeParse(message);
      expect(parsed.success).toBe(false);
      expect(parsed.error?.issues.map((i) => i.path.join("."))).toContain("data.currency");
    });
  });

  describe("order.refunded", () => {
    const base = { orderId: ORDER, amount: 4998, currency: "USD" };
    const arrival =
      "The money goes back to the payment method you used; your bank may take 5 to 10 business days to show it.";

    it("late_payment: the payment reached us after the order had expired; refunded in full", () => {
      const out = rendered("order.refunded", { ...base, reason: "late_payment" });
      expectEmailSays(
        out,
        `Your payment for order ${ORDER} reached us after the order had expired, so we refunded it in full: $49.98. You do not need to do anything.`,
      );
      expectEmailSays(out, arrival);
      expect(out.sms).toBe(
        `Shop: your payment for order ${ORDER} arrived after it expired and was refunded in full ($49.98). Nothing to do.`,
      );
    });

    it("after_failure: the payment went through after we had reported it failed; refunded in full", () => {
      const out = rendered("order.refunded", { ...base, reason: "after_failure" });
      expectEmailSays(
        out,
        `Your payment for order ${ORDER} went through after we had reported it failed, so we refunded it in full: $49.98. You do not need to do anything.`,
      );
      expect(out.sms).toBe(
        `Shop: your payment for order ${ORDER} went through after we reported it failed and was refunded in full ($49.98). Nothing to do.`,
      );
    });

    it("cancelled: the refund of a cancelled order", () => {
      const out = rendered("order.refunded", { ...base, reason: "cancelled" });
      expectEmailSays(out, `We refunded $49.98 for your cancelled order ${ORDER}.`);
      expect(out.sms).toBe(`Shop: refunded $49.98 for cancelled order ${ORDER}.`);
    });

    it("admin, or not told: the amount and the order", () => {
      for (const reason of ["admin", undefined]) {
        const out = rendered("order.refunded", reason ? { ...base, reason } : base);
        expectEmailSays(out, `We refunded $49.98 for your order ${ORDER}.`);
        expectEmailSays(out, arrival);
        expect(out.sms).toBe(`Shop: refunded $49.98 for order ${ORDER}.`);
      }
    });
  });

  describe("payment.failed", () => {
    it("keeps the gateway's reason and says nothing was taken and the items were released", () => {
      const out = rendered("payment.failed", {
        orderId: ORDER,
        reason: "Your card has insufficient funds.",
        failureCode: "insufficient_funds",
      });
      expect(out.text.split("\n")).toContain("Reason: Your card has insufficient funds.");
      expect(out.html).toContain("<p>Reason: Your card has insufficient funds.</p>");
      expectEmailSays(out, "No money was taken and the items were released.");
      expect(out.sms).toBe(`Shop: payment for order ${ORDER} failed. No money was taken and the items were released.`);
    });

    it("a code without a message is put in words; an unknown code is named", () => {
      const known = rendered("payment.failed", { orderId: ORDER, reason: null, failureCode: "expired_card" });
      expect(known.text.split("\n")).toContain("Reason: Your card has expired.");
      const unknown = rendered("payment.failed", { orderId: ORDER, reason: null, failureCode: "do_not_honor" });
      expect(unknown.text.split("\n")).toContain("Reason: The payment provider declined it (do_not_honor).");
      const none = rendered("payment.failed", { orderId: ORDER, reason: null });
      expect(none.text).not.toContain("Reason:");
      expectEmailSays(none, "No money was taken and the items were released.");
    });

    it("escapes the gateway's reason in HTML", () => {
      const out = rendered("payment.failed", { orderId: ORDER, reason: "<b>Declined</b> & gone" });
      expect(out.html).toContain("<p>Reason: &lt;b&gt;Declined&lt;/b&gt; &amp; gone</p>");
      expect(out.html).not.toContain("<b>Declined</b>");
    });
  });

  it("every SMS stays within two segments", () => {
    const longest = rendered("order.refunded", {
      orderId: ORDER,
      amount: 99_999_999,
      currency: "USD",
      reason: "after_failure",
    });
    expect(longest.sms.length).toBeLessThanOrEqual(320);
  });
});
