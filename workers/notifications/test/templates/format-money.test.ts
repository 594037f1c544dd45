import { formatMoney } from "@shop/contracts";
import { describe, expect, it } from "vitest";

/** ICU puts a no-break space between a German amount and its sign. */
const plain = (s: string) => s.replace(/\s/g, " ");

/** formatMoney keeps one number format per locale and currency: each call must still get its own. */
describe("formatMoney", () => {
  it("formats each currency and locale as asked, however the calls interleave", () => {
    for (let round = 0; round < 2; round++) {
      expect(formatMoney(1999, "USD")).toBe("$19.99");
      expect(formatMoney(500, "JPY")).toBe("¥500");
      expect(plain(formatMoney(1999, "USD", "de-DE"))).toBe("19,99 $");
      expect(plain(formatMoney(1999, "EUR", "de-DE"))).toBe("19,99 €");
      expect(formatMoney(5, "EUR")).toBe("€0.05");
    }
  });

  it("stays right past the number of formats it keeps", () => {
    const locales = Intl.NumberFormat.supportedLocalesOf(
      Array.from(
        { length: 100 },
        (_, i) => `en-${String.fromCharCode(65 + (i % 26))}${String.fromCharCode(65 + Math.floor(i / 26))}`,
      ),
    );
    for (const locale of locales) formatMoney(100, "USD", locale);
    expect(formatMoney(1999, "USD")).toBe("$19.99");
    expect(plain(formatMoney(1999, "EUR", "de-DE"))).toBe("19,99 €");
  });

  it("refuses a malformed locale, as Intl does", () => {
    expect(() => formatMoney(100, "USD", "not a locale!")).toThrow(RangeError);
  });
});
