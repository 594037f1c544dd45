import { describe, expect, it } from "vitest";
import { newMessageId, provesDelivery, quotedMessageIds } from "../../src/email/message-id";

const DELIVERY = "ntf_01jd8x3v4k2m9q7r5t6w8y0zab";

describe("Message-IDs that authenticate bounces", () => {
  it("carry the delivery id and 128 fresh random bits", () => {
    const ids = Array.from({ length: 100 }, () => newMessageId(DELIVERY, "shop.local"));
    for (const id of ids) expect(id).toMatch(/^ntf_01jd8x3v4k2m9q7r5t6w8y0zab\.[A-Za-z0-9_-]{22}@shop\.local$/);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("a quote proves the delivery only with its own secret", () => {
    const stored = `<${newMessageId(DELIVERY, "shop.local")}>`;
    const [quoted] = quotedMessageIds(`Message-ID: ${stored}`);
    expect(quoted?.deliveryId).toBe(DELIVERY);
    expect(provesDelivery(stored, quoted as never)).toBe(true);

    const other = `<${newMessageId(DELIVERY, "shop.local")}>`;
    expect(provesDelivery(stored, quotedMessageIds(other)[0] as never)).toBe(false);
    expect(provesDelivery(null, quoted as never)).toBe(false);
    // The form used before secrets (the delivery id alone) is not ours any more.
    expect(quotedMessageIds(`<${DELIVERY}@shop.local>`)).toEqual([]);
  });
});
