import { describe, expect, it } from "vitest";
import { backoffMs, retryDelaySeconds } from "../src/backoff";

describe("backoffMs", () => {
  it("doubles from the base on each attempt, up to the cap", () => {
    const delays = [1, 2, 3, 4, 5, 6].map((n) => backoffMs(n, { baseMs: 1000, maxMs: 10_000 }));
    expect(delays).toEqual([1000, 2000, 4000, 8000, 10_000, 10_000]);
  });

  it("uses the given factor", () => {
    expect([1, 2, 3].map((n) => backoffMs(n, { baseMs: 100, maxMs: 1e9, factor: 3 }))).toEqual([100, 300, 900]);
  });

  it("treats attempt 0 (and below) as the first", () => {
    expect(backoffMs(0, { baseMs: 500, maxMs: 1e6 })).toBe(500);
    expect(backoffMs(-3, { baseMs: 500, maxMs: 1e6 })).toBe(500);
  });

  it("stays at the cap for attempt counts whose power overflows", () => {
    expect(backoffMs(5000, { baseMs: 30_000, maxMs: 3_600_000 })).toBe(3_600_000);
  });

  it("only lengthens the wait with jitter, by at most the fraction", () => {
    const at = (u: number) => backoffMs(3, { baseMs: 1000, maxMs: 60_000, jitter: 0.2, random: () => u });
    expect(at(0)).toBe(4000);
    expect(at(0.5)).toBe(4400);
    expect(at(0.999_999)).toBe(4800);
    for (let i = 0; i < 200; i++) {
      const d = backoffMs(2, { baseMs: 1000, maxMs: 60_000, jitter: 0.25 });
      expect(d).toBeGreaterThanOrEqual(2000);
      expect(d).toBeLessThanOrEqual(2500);
    }
  });

  it("spreads delays at the cap too", () => {
    expect(backoffMs(50, { baseMs: 1000, maxMs: 300_000, jitter: 0.2, random: () => 0.5 })).toBe(330_000);
  });
});

describe("retryDelaySeconds", () => {
  it("counts a queue message's attempts from 1 and rounds up to whole seconds", () => {
    const opts = { baseSeconds: 10, maxSeconds: 900 };
    expect([1, 2, 3, 7, 8, 30].map((n) => retryDelaySeconds(n, opts))).toEqual([10, 20, 40, 640, 900, 900]);
    expect(retryDelaySeconds(1, { baseSeconds: 1, maxSeconds: 60, jitter: 0.5, random: () => 0.1 })).toBe(2);
  });

  it("never asks a queue for more than its 12-hour limit", () => {
    expect(retryDelaySeconds(40, { baseSeconds: 60, maxSeconds: 86_400 })).toBe(43_200);
  });
});
