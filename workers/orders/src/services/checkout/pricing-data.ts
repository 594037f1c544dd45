import type { PromotionRecord } from "@shop/contracts";
import type { Db } from "../../db/client";
import { freshPromotions, offeredPromotions } from "../promotions/promotion-store";
import { pricingShipping } from "../shipping/shipping-store";
import { type PricingBase, pricingBaseMemo } from "./pricing-memo";

/**
 * What pricing a checkout reads from D1, in as few round trips as its freshness allows (ADR
 * 0037): the shipping zones and methods and the automatic promotions come from this isolate's
 * memo (at most PRICING_DATA_MEMO_MS old; no round trip while warm); the promotions whose
 * entered code the shopper typed, and every automatic promotion with a usage limit, are read
 * fresh in one statement, so "used up" and "unknown code" are decided on the rows as they are.
 */
export async function checkoutPricingData(
  db: Db,
  codes: string[],
): Promise<{ shipping: PricingBase["shipping"]; promotions: PromotionRecord[] }> {
  const base = await pricingBaseMemo.get(async () => {
    const [shipping, automatic] = await Promise.all([pricingShipping(db), offeredPromotions(db, [])]);
    return { shipping, automatic };
  });
  const limited = base.automatic.filter((p) => p.usageLimit !== null).map((p) => p.id);
  const fresh = codes.length || limited.length ? await freshPromotions(db, codes, limited) : [];
  return {
    shipping: base.shipping,
    promotions: [...base.automatic.filter((p) => p.usageLimit === null), ...fresh],
  };
}
