/**
 * What a return gives back: the returned lines' share of what the customer paid (ADR 0034).
 *
 * `paid` is what was charged for the goods (the order's total less shipping). An order without
 * a breakdown is the lines' sum, so the share is exactly unit price × quantity. An order with a
 * breakdown (ADR 0035) gives each line what was paid for it (`ShareLine.paid`: its discount
 * taken off, its tax in), and a unit's share is its line's: a returned unit gives back its part
 * of its own line's discount and tax, never another line's.
 *
 * Rounding: the share of a set of units is floor(paid × gross(units) / gross(all units)). The
 * share of one return is the share of everything returned up to and including it minus the
 * share of what was returned before. Shares telescope: returning every unit, in any number of
 * returns, gives back exactly `paid`, never a minor unit more; a single return is at most one
 * minor unit short of its exact proportion, and the last return gets it. With per-line `paid`
 * the same rule runs per line (floor(line paid × units / line quantity)), so shares telescope
 * per line too.
 */
export type ShareLine = {
  unitAmount: number;
  quantity: number;
  /** What was paid for the whole line (the breakdown line's `total`); given for every line or none. */
  paid?: number;
};

export type ShareInput = {
  /** The order's lines (by index), each with its price snapshot and ordered quantity. */
  lines: readonly ShareLine[];
  /** What was paid for the goods (tax included, discounts taken off), in minor units. */
  paid: number;
  /** What was paid for shipping, in minor units (0 when none or not recorded). */
  shipping?: number;
  /** Units per line index returned (and refunded) before this return. */
  before: ReadonlyMap<number, number>;
  /** Units per line index this return gives back. */
  returned: ReadonlyMap<number, number>;
  /** Refund the returned units' share of shipping as well. */
  includeShipping?: boolean;
};

function gross(lines: readonly ShareLine[], units: ReadonlyMap<number, number>): number {
  let sum = 0;
  for (const [index, quantity] of units) sum += (lines[index]?.unitAmount ?? 0) * quantity;
  return sum;
}

function plus(a: ReadonlyMap<number, number>, b: ReadonlyMap<number, number>): Map<number, number> {
  const out = new Map(a);
  for (const [k, v] of b) out.set(k, (out.get(k) ?? 0) + v);
  return out;
}

function shareOf(amount: number, part: number, whole: number): number {
  if (whole <= 0 || amount <= 0) return 0;
  // Integers up to 1e11 × 1e10 overflow doubles' exact range: BigInt keeps floor() exact.
  return Number((BigInt(amount) * BigInt(part)) / BigInt(whole));
}

/** The amount to refund for `returned`, in minor units. */
export function returnShare(input: ShareInput): number {
  const whole = gross(input.lines, new Map(input.lines.map((l, i) => [i, l.quantity])));
  const upTo = plus(input.before, input.returned);
  const perLine = input.lines.length > 0 && input.lines.every((l) => l.paid !== undefined);
  const goods = perLine
    ? [...input.returned.keys()].reduce((sum, index) => {
        const line = input.lines[index];
        if (!line) return sum;
        const paid = line.paid ?? 0;
        return (
          sum +
          shareOf(paid, upTo.get(index) ?? 0, line.quantity) -
          shareOf(paid, input.before.get(index) ?? 0, line.quantity)
        );
      }, 0)
    : shareOf(input.paid, gross(input.lines, upTo), whole) -
      shareOf(input.paid, gross(input.lines, input.before), whole);
  const shipping = input.includeShipping
    ? shareOf(input.shipping ?? 0, gross(input.lines, upTo), whole) -
      shareOf(input.shipping ?? 0, gross(input.lines, input.before), whole)
    : 0;
  return goods + shipping;
}
