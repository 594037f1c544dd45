import PostalMime from "postal-mime";
import { describe, expect, it } from "vitest";
import { addressOf, buildRawEmail } from "../../src/email/build-message";

describe("email message", () => {
  it("is an RFC 5322 message with text and HTML alternatives, a Message-ID and the configured sender", async () => {
    const raw = buildRawEmail({
      from: "Shop <orders@shop.local>",
      to: "ada@example.com",
      subject: "Order confirmed — €12.00",
      text: "Total: €12.00",
      html: "<p>Total: €12.00</p>",
      messageId: "ntf_1@shop.local",
      unsubscribe: "mailto:orders@shop.local?subject=unsubscribe",
    });
    expect(raw).toContain("\r\n");
    expect(raw).toMatch(/^Content-Type: multipart\/alternative/m);
    const parsed = await PostalMime.parse(raw);
    expect(parsed.from).toEqual({ name: "Shop", address: "orders@shop.local" });
    expect(parsed.to?.[0]?.address).toBe("ada@example.com");
    expect(parsed.subject).toBe("Order confirmed — €12.00");
    expect(parsed.messageId).toBe("<ntf_1@shop.local>");
    expect(parsed.text?.trim()).toBe("Total: €12.00");
    expect(parsed.html?.trim()).toBe("<p>Total: €12.00</p>");
    expect(parsed.headers.find((h) => h.key === "list-unsubscribe")?.value).toBe(
      "<mailto:orders@shop.local?subject=unsubscribe>",
    );
  });

  it("reads the bare address out of a display name", () => {
    expect(addressOf("Shop <Orders@Shop.local>")).toBe("orders@shop.local");
    expect(addressOf("orders@shop.local")).toBe("orders@shop.local");
  });
});
