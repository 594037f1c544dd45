import { defaultVariantId, type PriceBreakdown, type QuotedLine, type ShortLine } from "@shop/contracts";
import { Conflict, Unprocessable } from "@shop/runtime";
import { database } from "../../db/client";
import { loadPricingTables, type PricingTables, priceOrder } from "../checkout/price-order";
import { pricingFacts } from "../checkout/quote-checkout";
import { allocateOrderNumber } from "../order-numbers/allocate";
import { claimPromotionUses } from "../promotions/redemptions";
import type { SagaContext } from "./context";
import { paymentOutcome } from "./payment-outcome";
import type { Change, CreationOutcome, LineRow, RefusalCode } from "./types";

/** A refused placement, stored as how placing ended: what every retry with this Idempotency-Key is told. */
function rejection(
  code: RefusalCode,
  detail: string,
  errors: { path: string; message: string }[],
  reason: string,
  lines?: ShortLine[],
  breakdown?: PriceBreakdown,
): Change {
  const refused: CreationOutcome = {
    kind: "refused",
    code,
    detail,
    errors,
    ...(lines ? { lines } : {}),
    ...(breakdown ? { breakdown } : {}),
  };
  return {
    patch: { status: "rejected", reason, creation: JSON.stringify(refused) },
    event: { type: "order.rejected", detail: { reason, lines: errors } },
    doneTasks: ["place"],
  };
}

/**
 * Places the order, one idempotent step at a time, resuming where the last attempt stopped:
 * reserve all lines or none (prices snapshotted from the same call), drawing the order's number
 * meanwhile → create the payment → `awaiting_payment`.
 * Each step is safe to repeat (reserve and create are idempotent by order id), so a retry from the
 * alarm after a crash never reserves or charges twice.
 */
export async function placeTask(ctx: SagaContext, reservationTtlSeconds: number): Promise<void> {
  const { store, env } = ctx;
  let row = store.row();
  if (row.status !== "pending") return store.apply({ doneTasks: ["place"] });
  if (ctx.now().getTime() > row.deadline_at) {
    return store.apply({
      ...rejection(
        "service_unavailable",
        "The order could not be placed in time; nothing was charged.",
        [],
        "could not be placed in time",
      ),
      // A reserve or create whose answer was lost may have landed all the same: give back
      // whatever is held for this order and stop (or refund) its payment. Both are no-ops
      // when nothing is there.
      addTasks: ["release", "cancel_payment", "release_promotions"],
    });
  }
  row = store.row();
  if (!row.reserved) {
    // One call holds every line (or none) and prices them in the same transaction. Meanwhile
    // (ADR 0023: none needs another, each is a far round trip) the order's number is drawn
    // (ADR 0013) and, when the shopper chose a shipping method or a code, the tables their
    // pricing reads (it needs the held prices, the tables do not). All are waited for, so
    // nothing is left running when the step ends.
    const market = row.market ? [row.market] : [];
    const choice = store.breakdown() ? null : store.checkout();
    const [drawn, held, tables] = await Promise.allSettled([
      row.number === null ? allocateOrderNumber(env, row.id) : Promise.resolve(null),
      env.PRODUCTS.reserve(row.id, stockLines(store.lines()), reservationTtlSeconds, ctx.meta(), ...market),
      choice ? loadPricingTables(database(env.DB), choice.promoCode) : Promise.resolve(undefined),
    ]);
    // Stored at once, whatever the hold's outcome, so every outcome (accepted, refused, or
    // retried later) shows the order with it. A number drawn by an attempt that crashed before
    // this line is never stored nor shown: a gap, as ADR 0013 allows.
    if (drawn.status === "fulfilled" && drawn.value !== null) store.apply({ number: drawn.value });
    if (held.status === "rejected") throw held.reason;
    // No number yet (the allocator did not answer): the step is retried; the hold is idempotent.
    if (drawn.status === "rejected") throw drawn.reason;
    const reserved = held.value;
    if (!reserved.ok) {
      // A line that cannot be bought at all refuses the cart as unprocessable, as a quote would.
      const unsellable = reserved.lines.filter((s: ShortLine) => s.reason !== "insufficient_stock");
      if (unsellable.length) {
        const refused = unsellable.map((s: ShortLine) => ({
          path: `lines.${shortId(s)}`,
          message: s.reason === "not_found" ? `${shortId(s)} is not in the catalog` : `${shortId(s)} is no longer sold`,
        }));
        return store.apply(
          rejection("unprocessable", "Some products in the cart cannot be bought.", refused, "products not for sale"),
        );
      }
      const errors = reserved.lines.map((s: ShortLine) => ({
        path: `lines.${shortId(s)}`,
        message: `${s.requested} requested, ${s.available} available (${s.reason})`,
      }));
      return store.apply(
        rejection(
          "insufficient_stock",
          "Not enough stock for some lines of the cart.",
          errors,
          "not enough stock",
          // Structured twin of `errors`, so clients need not parse messages.
          reserved.lines.map(({ productId, variantId, requested, available, reason }: ShortLine) => ({
            productId,
            ...(variantId ? { variantId } : {}),
            requested,
            available,
            reason,
          })),
        ),
      );
    }
    if (store.lines().some((l) => l.unit_amount === null)) {
      // A replayed hold (a retry after a lost answer) carries no prices: quote them.
      const priced = await priceLines(ctx, reserved.quotes);
      // The hold is this order's: refusing now must give it back.
      if (!priced.ok) return store.apply({ ...priced.rejection, addTasks: ["release"] });
    }
    if (store.checkout() && !store.breakdown()) {
      // Priced as the quote was, with the prices just held; refusing gives the hold (and any
      // promotion use claimed by an earlier attempt) back.
      // Tables that could not be read in advance are read again by the pricing itself.
      const checked = await priceAndClaim(ctx, tables.status === "fulfilled" ? tables.value : undefined);
      if (!checked.ok) return store.apply({ ...checked.rejection, addTasks: ["release", "release_promotions"] });
    }
    store.apply({
      patch: { reserved: 1 },
      event: { type: "stock.reserved", detail: { expiresAt: reserved.expiresAt } },
    });
    row = store.row();
  }

  if ((row.total ?? 0) === 0) {
    // Nothing to charge (every line free): no payment is created — a provider refuses a zero
    // amount — and the order is accepted and committed as if paid (decision in ADR 0008).
    return store.apply({
      patch: { status: "awaiting_payment" },
      event: { type: "payment.not_required", detail: { total: 0 } },
      addTasks: ["commit", "clear_cart"],
      doneTasks: ["place"],
    });
  }

  const payment = await env.PAYMENTS.create(
    {
      orderId: row.id,
      userId: row.user_id,
      amount: row.total ?? 0,
      currency: row.currency ?? "",
      paymentMethod: row.payment_method,
      ...(row.return_url ? { returnUrl: row.return_url } : {}),
    },
    ctx.meta(),
  );
  // The order only learns of the payment here; what its status *means* (commit on success,
  // release on failure, wait for the shopper on requires_action) is applied by paymentOutcome,
  // the same function every later event goes through. Storing the status first would make the
  // outcome look already known and skip it (a synchronous card success stayed unpaid that way).
  store.apply({
    patch: { status: "awaiting_payment", payment_id: payment.paymentId },
    event: { type: "payment.created", detail: { paymentId: payment.paymentId, paymentStatus: payment.status } },
    addTasks: ["clear_cart"],
    doneTasks: ["place"],
  });
  const follow = paymentOutcome(store.row(), payment);
  if (follow) store.apply(follow);
}

/**
 * The stock lines of an order: each names its variant AND its product, so a products release
 * from before variants (which reads only `productId`) still holds a simple product's stock
 * during a rolling deploy (ADR 0016, 0029).
 */
export function stockLines(lines: LineRow[]): { productId: string; variantId: string; quantity: number }[] {
  return lines.map((l) => ({ productId: l.product_id, variantId: l.variant_id, quantity: l.quantity }));
}

/**
 * How problems name a line: by its variant, or by its product when it is the product's default
 * variant (a product without options), as they did before variants, so clients that name lines
 * by product still find theirs.
 */
const lineName = (productId: string, variantId: string | undefined): string =>
  variantId === undefined || variantId === defaultVariantId(productId) ? productId : variantId;
const shortId = (s: ShortLine): string => lineName(s.productId, s.variantId);

/** The variant a quote is of (a release before variants quotes a product's default variant). */
const quotedVariant = (q: QuotedLine): string => q.variantId ?? defaultVariantId(q.productId);

/**
 * Prices the held lines with the order's address, shipping method and code — the quote's own
 * pricing (`priceOrder`) — and, when the shopper's total still stands, claims the uses of the
 * promotions that applied, before any payment exists (ADR 0035). Safe to repeat: pricing reads
 * only, and a claim by the same order is a no-op. The breakdown and its grand total become the
 * order's in the same step.
 */
async function priceAndClaim(
  ctx: SagaContext,
  tables: PricingTables | undefined,
): Promise<{ ok: true } | { ok: false; rejection: Change }> {
  const { store } = ctx;
  const row = store.row();
  const choice = store.checkout() ?? {};
  const lines = store.lines().map((l) => ({
    lineId: l.variant_id,
    productId: l.product_id,
    unitPrice: l.unit_amount ?? 0,
    quantity: l.quantity,
    ...pricingFacts({ weightGrams: l.weight_grams, taxClass: l.tax_class, categoryId: l.category_id }),
  }));
  const address = JSON.parse(row.shipping_address) as { country: string; region?: string };
  const db = database(ctx.env.DB);
  let breakdown: PriceBreakdown;
  try {
    ({ breakdown } = await priceOrder(
      db,
      {
        currency: row.currency ?? "",
        lines,
        address: { country: address.country, region: address.region },
        shippingMethodId: choice.shippingMethodId,
        promoCode: choice.promoCode,
        customerId: row.user_id,
        now: ctx.now(),
        // The claim below is the check that holds under concurrency.
        checkUsedUp: false,
        addressPath: "shippingAddress",
      },
      tables,
    ));
  } catch (err) {
    // The quote's refusals (outside every zone, unknown method or code, a code used up): the
    // same 4xx, stored as how placing ended.
    if (!(err instanceof Unprocessable || err instanceof Conflict)) throw err;
    const code = err instanceof Conflict ? "conflict" : "unprocessable";
    return { ok: false, rejection: rejection(code, err.message, err.errors ?? [], err.message) };
  }
  if (choice.displayedTotal !== undefined && choice.displayedTotal !== breakdown.total) {
    const detail = `The total is now ${breakdown.total} (${breakdown.currency} minor units), not ${choice.displayedTotal}; review the new breakdown and place the order again.`;
    return {
      ok: false,
      rejection: rejection(
        "price_changed",
        detail,
        [{ path: "displayedTotal", message: `is now ${breakdown.total}` }],
        "the total changed",
        undefined,
        breakdown,
      ),
    };
  }
  const promotionIds = breakdown.discounts.map((d) => d.promotionId);
  const claim = await claimPromotionUses(db, { orderId: row.id, customerId: row.user_id, promotionIds });
  if (!claim.ok) {
    const code = breakdown.discounts.find((d) => d.code)?.code ?? choice.promoCode ?? "The promotion";
    const message = claim.reason === "per_customer_limit" ? "has been used as often as allowed" : "has been used up";
    return {
      ok: false,
      rejection: rejection("conflict", `${code} ${message}.`, [{ path: "promoCode", message }], "promotion used up"),
    };
  }
  store.apply({
    breakdown,
    patch: { total: breakdown.total },
    event: {
      type: "order.priced",
      detail: { total: breakdown.total, promotions: promotionIds, shipping: breakdown.shipping.methodId },
    },
  });
  return { ok: true };
}

/**
 * Snapshots each line's price (from the reserve's quotes, or a quote call when it brought none)
 * into the order, or says why the cart cannot be bought.
 */
async function priceLines(
  ctx: SagaContext,
  given: QuotedLine[] | undefined,
): Promise<{ ok: true } | { ok: false; rejection: Change }> {
  const { store, env } = ctx;
  const lines = store.lines();
  const market = store.row().market;
  const quotes = given ?? (await env.PRODUCTS.quote(stockLines(lines), ctx.meta(), ...(market ? [market] : [])));
  const byId = new Map(quotes.map((q) => [quotedVariant(q), q]));
  const refused = lines.flatMap((l) => {
    const q = byId.get(l.variant_id);
    const name = lineName(l.product_id, l.variant_id);
    if (!q?.found || !q.unitPrice) return [{ path: `lines.${name}`, message: `${name} is not in the catalog` }];
    if (!q.active) return [{ path: `lines.${name}`, message: `${name} is no longer sold` }];
    return [];
  });
  if (refused.length) {
    return {
      ok: false,
      rejection: rejection(
        "unprocessable",
        "Some products in the cart cannot be bought.",
        refused,
        "products not for sale",
      ),
    };
  }
  const currencies = new Set(lines.map((l) => byId.get(l.variant_id)?.unitPrice?.currency));
  if (currencies.size !== 1) {
    return { ok: false, rejection: rejection("unprocessable", "The cart mixes currencies.", [], "mixed currencies") };
  }
  const priced = lines.map((l) => {
    const q = byId.get(l.variant_id);
    return {
      variantId: l.variant_id,
      sku: q?.sku ?? null,
      variantLabel: q?.variantLabel ?? "",
      name: q?.name ?? l.product_id,
      unitAmount: q?.unitPrice?.amount ?? 0,
      currency: q?.unitPrice?.currency ?? "",
      weightGrams: q?.weightGrams ?? null,
      taxClass: q?.taxClass ?? null,
      categoryId: q?.categoryId ?? null,
    };
  });
  const total = priced.reduce((sum, p, i) => sum + p.unitAmount * (lines[i]?.quantity ?? 0), 0);
  store.apply({
    pricedLines: priced,
    patch: { currency: priced[0]?.currency ?? null, total },
    event: { type: "order.priced", detail: { total } },
  });
  return { ok: true };
}
