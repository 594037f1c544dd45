import { expect, it } from "vitest";
import { call } from "../support/http";
import { describeEachMode } from "../support/modes";
import { ADDRESS, addToCart, admin, buyers, createProduct, placeOrder, prng, record, settle } from "../support/shop";

/**
 * Orders charge exactly the server's breakdown (ADR 0035): a code limited to a few uses, raced by
 * many checkouts, is carried by exactly as many paid orders as it has uses, and its counter says
 * so; cancelling one gives back exactly one use; a price that changed between the quote and the
 * checkout is refused with the new breakdown, never charged silently.
 */
const fast = process.env.BATTERY_FAST === "1";
const BUYERS = fast ? 30 : 100;
const LIMIT = fast ? 5 : 10;

type Quote = { breakdown: { total: number; shipping: { methodId: string } }; displayedTotal: { amount: number } };

async function quoteFor(token: string, promoCode?: string): Promise<Quote> {
  const res = await call("POST", "/checkout/quote", {
    token,
    body: { address: { country: ADDRESS.country }, ...(promoCode ? { promoCode } : {}) },
  });
  if (res.status !== 200) throw new Error(`quote → ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as Quote;
}

/** The body the storefront sends: the quote's method and code, and the total it showed. */
const body = (q: Quote, promoCode?: string) => ({
  shippingAddress: ADDRESS,
  paymentMethod: "pm_card_visa",
  shippingMethodId: q.breakdown.shipping.methodId,
  ...(promoCode ? { promoCode } : {}),
  displayedTotal: q.displayedTotal.amount,
});

async function usesOf(promotionId: string): Promise<number> {
  const res = await call("GET", `/promotions/${promotionId}`, { token: await admin() });
  if (res.status !== 200) throw new Error(`promotion → ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.uses as number;
}

async function until<T>(check: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last = await check();
  while (!ok(last) && Date.now() < end) {
    await new Promise((r) => setTimeout(r, 200));
    last = await check();
  }
  return last;
}

describeEachMode("promotions", (mode) => {
  it(`${BUYERS} concurrent checkouts with a code limited to ${LIMIT}: exactly ${LIMIT} paid orders carry it`, async () => {
    const code = `BAT${Date.now().toString(36).toUpperCase()}`;
    const created = await call("POST", "/promotions", {
      token: await admin(),
      body: {
        code,
        name: "Battery limited",
        discount: { kind: "percentage", percent: 10 },
        target: { scope: "order" },
        usageLimit: LIMIT,
      },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const promotionId = created.body.id as string;

    const people = await buyers(BUYERS, "promo");
    const product = await createProduct(BUYERS + 5, { price: 5000 });
    const quotes: Quote[] = [];
    for (let i = 0; i < people.length; i += 20) {
      quotes.push(
        ...(await Promise.all(
          people.slice(i, i + 20).map(async (p) => {
            await addToCart(p.accessToken, product.id, 1);
            return quoteFor(p.accessToken, code);
          }),
        )),
      );
    }
    const rand = prng(35);
    const results = await Promise.all(
      people.map(async (p, i) => {
        await new Promise((r) => setTimeout(r, Math.floor(rand() * 40)));
        const q = quotes[i] as Quote;
        const res = await placeOrder(p.accessToken, `promo-${i}-${Date.now()}`, "pm_card_visa", body(q, code));
        return { status: res.status, body: res.body, token: p.accessToken, quoted: q.displayedTotal.amount };
      }),
    );
    const accepted = results.filter((r) => r.status === 201);
    const refused = results.filter((r) => r.status === 409);
    const other = results.filter((r) => r.status !== 201 && r.status !== 409);
    const settled = await Promise.all(accepted.map((r) => settle(r.token, r.body.id)));
    const paid = settled.filter((o) => o.status === "paid") as unknown as {
      total: { amount: number };
      breakdown: { total: number; discounts: { code: string }[] };
    }[];
    const uses = await usesOf(promotionId);
    record(`promotions limited code [${mode}]`, {
      buyers: BUYERS,
      limit: LIMIT,
      accepted: accepted.length,
      refused409: refused.length,
      other: other.length,
      paid: paid.length,
      uses,
    });
    expect(
      other.map((o) => `${o.status} ${JSON.stringify(o.body)}`),
      "unexpected statuses",
    ).toEqual([]);
    expect(accepted.length).toBe(LIMIT);
    expect(paid.length).toBe(LIMIT);
    for (const r of refused) {
      expect(r.body.code).toBe("conflict");
      expect(r.body.errors.map((e: { path: string }) => e.path)).toEqual(["promoCode"]);
    }
    for (const [i, o] of paid.entries()) {
      expect(o.breakdown.discounts.map((d) => d.code)).toEqual([code]);
      // What was charged is what was shown.
      expect(o.total.amount).toBe(o.breakdown.total);
      expect(o.total.amount).toBe(accepted[i]?.quoted);
    }
    expect(uses).toBe(LIMIT);

    // One paid order cancelled: the code gets exactly one use back, whatever is repeated.
    const first = accepted[0];
    if (!first) throw new Error("no accepted order");
    const cancel = () => call("POST", `/orders/${first.body.id}/cancel`, { token: first.token, body: {} });
    expect((await cancel()).status).toBe(200);
    await settle(first.token, first.body.id, "refunded");
    const afterCancel = await until(
      () => usesOf(promotionId),
      (n) => n === LIMIT - 1,
    );
    expect((await cancel()).status).toBe(409);
    await new Promise((r) => setTimeout(r, 1000));
    const afterSecond = await usesOf(promotionId);
    record(`promotions cancel gives one use back [${mode}]`, { before: LIMIT, afterCancel, afterSecond });
    expect(afterCancel).toBe(LIMIT - 1);
    expect(afterSecond).toBe(LIMIT - 1);
  });

  it("a price change between cart and checkout: 409 with the new breakdown, never a silent charge", async () => {
    const [who] = await buyers(1, "promo-price");
    if (!who) throw new Error("no buyer");
    const product = await createProduct(5, { price: 5000 });
    await addToCart(who.accessToken, product.id, 1);
    const q = await quoteFor(who.accessToken);
    const patched = await call("PATCH", `/products/${product.id}`, {
      token: await admin(),
      headers: { "if-match": (await call("GET", `/products/${product.id}`)).headers.get("etag") ?? "" },
      body: { price: { amount: 5500, currency: "USD" } },
    });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);

    const key = `promo-price-${Date.now()}`;
    const res = await placeOrder(who.accessToken, key, "pm_card_visa", body(q));
    const replay = await placeOrder(who.accessToken, key, "pm_card_visa", body(q));
    const orders = await call("GET", "/orders", { token: who.accessToken });
    const stock = await until(
      async () => (await call("GET", `/products/${product.id}/inventory`, { token: await admin() })).body,
      (s: { reserved: number }) => s.reserved === 0,
    );
    record(`promotions price change [${mode}]`, {
      quoted: q.displayedTotal.amount,
      status: res.status,
      code: res.body.code,
      newTotal: res.body.breakdown?.total ?? "none",
      replay: replay.status,
      orders: orders.body.items.length,
      reserved: stock.reserved,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(409);
    expect(res.body.code).toBe("price_changed");
    expect(res.body.breakdown.subtotal).toBe(5500);
    expect(res.body.breakdown.total).not.toBe(q.displayedTotal.amount);
    expect(replay.status).toBe(409);
    expect(replay.body.breakdown).toEqual(res.body.breakdown);
    // Nothing charged: the refused order never reached payments (no order in the history with money).
    expect(
      orders.body.items.filter((o: { status: string }) => o.status !== "rejected"),
      "no order other than the refused one",
    ).toEqual([]);
    expect(stock.reserved).toBe(0);
  });
});
