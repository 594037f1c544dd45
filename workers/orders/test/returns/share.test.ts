import { describe, expect, it } from "vitest";
import { returnShare } from "../../src/services/returns/share";

const units = (entries: [number, number][]) => new Map(entries);
const none = units([]);

describe("returnShare", () => {
  const lines = [
    { unitAmount: 2000, quantity: 3 },
    { unitAmount: 500, quantity: 1 },
  ];

  it("is unit price × quantity when the total is the lines' sum (no tax or discount recorded)", () => {
    expect(returnShare({ lines, paid: 6500, before: none, returned: units([[0, 1]]) })).toBe(2000);
    expect(returnShare({ lines, paid: 6500, before: none, returned: units([[1, 1]]) })).toBe(500);
  });

  it("scales with what was paid (tax added, discount taken), rounding down", () => {
    // 10 % off: 5850 paid for 6500 of goods. One unit of 2000 is 1800.
    expect(returnShare({ lines, paid: 5850, before: none, returned: units([[0, 1]]) })).toBe(1800);
    // Tax of 19 % on top: 7735 paid. One unit: 2380.
    expect(returnShare({ lines, paid: 7735, before: none, returned: units([[0, 1]]) })).toBe(2380);
    // Thirds: 1000 paid for three equal units → 333 each, floor.
    const thirds = [{ unitAmount: 500, quantity: 3 }];
    expect(returnShare({ lines: thirds, paid: 1000, before: none, returned: units([[0, 1]]) })).toBe(333);
  });

  it("returns of every unit, in any split, add up to exactly what was paid", () => {
    const thirds = [{ unitAmount: 500, quantity: 3 }];
    const first = returnShare({ lines: thirds, paid: 1000, before: none, returned: units([[0, 1]]) });
    const second = returnShare({ lines: thirds, paid: 1000, before: units([[0, 1]]), returned: units([[0, 1]]) });
    const third = returnShare({ lines: thirds, paid: 1000, before: units([[0, 2]]), returned: units([[0, 1]]) });
    expect([first, second, third]).toEqual([333, 333, 334]);
    expect(first + second + third).toBe(1000);

    const a = returnShare({ lines, paid: 5851, before: none, returned: units([[0, 2]]) });
    const b = returnShare({
      lines,
      paid: 5851,
      before: units([[0, 2]]),
      returned: units([
        [0, 1],
        [1, 1],
      ]),
    });
    expect(a + b).toBe(5851);
  });

  it("adds the share of shipping only when asked", () => {
    const input = { lines, paid: 6500, shipping: 650, before: none, returned: units([[0, 1]]) };
    expect(returnShare(input)).toBe(2000);
    expect(returnShare({ ...input, includeShipping: true })).toBe(2200);
  });

  it("is 0 for a free order and never negative", () => {
    expect(returnShare({ lines, paid: 0, before: none, returned: units([[0, 3]]) })).toBe(0);
    expect(
      returnShare({ lines: [{ unitAmount: 0, quantity: 2 }], paid: 0, before: none, returned: units([[0, 1]]) }),
    ).toBe(0);
  });

  it("with a breakdown, a unit gives back its own line's discount and tax (US tax added on top)", () => {
    // Breakdown of a NY order (4 % added): line 0 is 3 × 2000 with a 10 % product discount,
    // 6000 − 600 = 5400 + tax 216 = 5616; line 1 is 1 × 500, no discount, 500 + tax 20 = 520.
    const taxed = [
      { unitAmount: 2000, quantity: 3, paid: 5616 },
      { unitAmount: 500, quantity: 1, paid: 520 },
    ];
    const paid = 5616 + 520;
    // One unit of line 0: a third of 5616 (its discount and tax in); line 1 in full.
    expect(returnShare({ lines: taxed, paid, before: none, returned: units([[0, 1]]) })).toBe(1872);
    expect(returnShare({ lines: taxed, paid, before: none, returned: units([[1, 1]]) })).toBe(520);
    // Not the order-wide proportion: 500/6500 of 6136 would be 472, taking line 0's discount.
    expect(returnShare({ lines: taxed, paid, before: none, returned: units([[1, 1]]) })).not.toBe(472);
    // Every unit, in any split, gives back exactly what was paid; shipping charged 599 follows gross.
    const a = returnShare({
      lines: taxed,
      paid,
      shipping: 599,
      before: none,
      returned: units([[0, 2]]),
      includeShipping: true,
    });
    const b = returnShare({
      lines: taxed,
      paid,
      shipping: 599,
      before: units([[0, 2]]),
      returned: units([
        [0, 1],
        [1, 1],
      ]),
      includeShipping: true,
    });
    expect(a + b).toBe(paid + 599);
  });
});
