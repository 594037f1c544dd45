import type { Currency, Promotion, PromotionRefusal } from "@shop/contracts";
import { allocateLargestRemainder, divideHalfUp } from "./rounding";

/** A line as promotions see it. */
export type DiscountableLine = { lineId: string; productId: string; categoryId: string | null; subtotal: number };
export type AppliedPromotion = { promotionId: string; code: string | null; amount: number };
export type RefusedPromotion = { promotionId: string | null; code: string | null; reason: PromotionRefusal };
export type PromotionOutcome = {
  applied: AppliedPromotion[];
  refused: RefusedPromotion[];
  /** Per line (same order as the input), the sum of its shares of every applied promotion. */
  lineDiscounts: number[];
};

type Context = {
  currency: Currency;
  now: Date;
  codes: readonly string[];
  lines: readonly DiscountableLine[];
  /** Promotions whose usage limit (total, or this customer's) is reached: refused as `used_up`. */
  usedUp?: ReadonlySet<string>;
};

const normalize = (code: string) => code.trim().toUpperCase();

/**
 * Chooses and applies promotions (the stacking rule, ADR 0028):
 * - offered: every automatic promotion, and those whose code was entered;
 * - eligible: started, not ended, in this currency, minimum (undiscounted) subtotal reached,
 *   at least one line in its target;
 * - at most one code combines with all eligible non-exclusive automatic promotions; an
 *   exclusive promotion (code or automatic) applies alone; of these candidate sets the one
 *   with the largest total discount wins (ties: the combinable set, then the smaller id).
 *   Every other eligible promotion is refused as `not_stackable`.
 * Usage limits are not counted here (redeeming is the order commit's job); the caller names the
 * promotions whose limits are reached (`usedUp`) and they are refused as `used_up`.
 */
export function applyPromotions(promotions: readonly Promotion[], ctx: Context): PromotionOutcome {
  const entered = [...new Set(ctx.codes.map(normalize))];
  const refused: RefusedPromotion[] = [];
  const byCode = new Map(promotions.filter((p) => p.code).map((p) => [normalize(p.code as string), p]));
  for (const code of entered) {
    if (!byCode.has(code)) refused.push({ promotionId: null, code, reason: "unknown_code" });
  }
  const offered = promotions
    .filter((p) => p.code === null || entered.includes(normalize(p.code)))
    .sort((a, b) => (a.id < b.id ? -1 : 1));
  const subtotal = ctx.lines.reduce((s, l) => s + l.subtotal, 0);
  const eligible: Promotion[] = [];
  for (const p of offered) {
    const reason = refusal(p, ctx, subtotal);
    if (reason) refused.push({ promotionId: p.id, code: p.code, reason });
    else eligible.push(p);
  }

  const combinable = eligible.filter((p) => !p.exclusive);
  const automatic = combinable.filter((p) => p.code === null);
  const codes = combinable.filter((p) => p.code !== null);
  const candidates: Promotion[][] = codes.length ? codes.map((c) => [...automatic, c]) : [automatic];
  for (const p of eligible) if (p.exclusive) candidates.push([p]);

  let best = run(candidates[0] as Promotion[], ctx);
  for (const set of candidates.slice(1)) {
    const outcome = run(set, ctx);
    if (total(outcome.applied) > total(best.applied)) best = outcome;
  }
  const chosen = new Set(best.applied.map((a) => a.promotionId));
  for (const p of eligible) {
    if (!chosen.has(p.id)) refused.push({ promotionId: p.id, code: p.code, reason: "not_stackable" });
  }
  return { ...best, refused };
}

const total = (applied: AppliedPromotion[]) => applied.reduce((s, a) => s + a.amount, 0);

function refusal(p: Promotion, ctx: Context, subtotal: number): PromotionRefusal | null {
  if (p.startsAt && ctx.now < p.startsAt) return "not_started";
  if (p.endsAt && ctx.now >= p.endsAt) return "expired";
  if (ctx.usedUp?.has(p.id)) return "used_up";
  if (p.discount.kind === "fixed" && p.discount.amount[ctx.currency] === undefined) return "not_in_currency";
  const minimum = p.minSubtotal?.[ctx.currency];
  if (minimum !== undefined && subtotal < minimum) return "min_subtotal";
  if (!ctx.lines.some((l) => targets(p, l))) return "no_eligible_lines";
  return null;
}

function targets(p: Promotion, line: DiscountableLine): boolean {
  const t = p.target;
  if (t.scope === "order") return true;
  if (t.scope === "products") return t.productIds.includes(line.productId);
  return line.categoryId !== null && t.categoryIds.includes(line.categoryId);
}

/**
 * Applies one candidate set in a fixed order: product/category promotions before order ones,
 * percentages before fixed amounts, then by id. Each takes its cut of what the earlier ones
 * left on its lines (so a line never goes below zero), rounded once per promotion (half up) and
 * split over its lines by largest remainder, weighted by what is left on each.
 */
function run(set: Promotion[], ctx: Context): Omit<PromotionOutcome, "refused"> {
  const rank = (p: Promotion) => (p.target.scope === "order" ? 2 : 0) + (p.discount.kind === "fixed" ? 1 : 0);
  const ordered = [...set].sort((a, b) => rank(a) - rank(b) || (a.id < b.id ? -1 : 1));
  const lineDiscounts = ctx.lines.map(() => 0);
  const applied: AppliedPromotion[] = [];
  for (const p of ordered) {
    const idx = ctx.lines.flatMap((l, i) => (targets(p, l) ? [i] : []));
    const left = idx.map((i) => (ctx.lines[i] as DiscountableLine).subtotal - (lineDiscounts[i] as number));
    const base = left.reduce((s, x) => s + x, 0);
    const amount =
      p.discount.kind === "percentage"
        ? divideHalfUp(BigInt(base) * BigInt(p.discount.percentPpm), 1_000_000n)
        : Math.min(p.discount.amount[ctx.currency] as number, base);
    const shares = allocateLargestRemainder(
      amount,
      left,
      idx.map((i) => (ctx.lines[i] as DiscountableLine).lineId),
    );
    idx.forEach((i, k) => {
      lineDiscounts[i] = (lineDiscounts[i] as number) + (shares[k] as number);
    });
    applied.push({ promotionId: p.id, code: p.code, amount });
  }
  return { applied, lineDiscounts };
}
