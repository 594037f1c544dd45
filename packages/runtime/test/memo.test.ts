import { afterEach, describe, expect, it, vi } from "vitest";
import { IsolateMemo } from "../src/memo";

afterEach(() => {
  vi.useRealTimers();
});

/** A load whose answers the test releases by hand, counting its calls. */
function manualLoad() {
  const calls: { resolve: (v: number) => void; reject: (e: Error) => void }[] = [];
  const load = () =>
    new Promise<number>((resolve, reject) => {
      calls.push({ resolve, reject });
    });
  return { calls, load };
}

describe("IsolateMemo", () => {
  it("answers from memory while younger than its bound, then loads again", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(1_000_000);
    const memo = new IsolateMemo<number>(5_000);
    let loads = 0;
    const load = async () => ++loads;
    expect(await memo.get(load)).toBe(1);
    vi.setSystemTime(1_004_999);
    expect(await memo.get(load)).toBe(1);
    vi.setSystemTime(1_005_000);
    expect(await memo.get(load)).toBe(2);
    // A clock that went backwards is not trusted.
    vi.setSystemTime(1_000_000);
    expect(await memo.get(load)).toBe(3);
  });

  it("shares no load between callers: each caller that misses loads, and the memo keeps an answer", async () => {
    const memo = new IsolateMemo<number>(5_000);
    const { calls, load } = manualLoad();
    const a = memo.get(load);
    const b = memo.get(load);
    // Two requests, two loads: one request must never wait on another's I/O (workerd cancels it).
    expect(calls).toHaveLength(2);
    calls[0]?.resolve(7);
    calls[1]?.resolve(8);
    expect(await Promise.all([a, b])).toEqual([7, 8]);
    expect(await memo.get(load)).toBe(8);
    expect(calls).toHaveLength(2);
  });

  it("after forget, reads again, and does not keep a load that started before the forget", async () => {
    const memo = new IsolateMemo<number>(5_000);
    const { calls, load } = manualLoad();
    const before = memo.get(load);
    memo.forget(); // a write lands while the first load is in flight
    const after = memo.get(load);
    expect(calls).toHaveLength(2);
    calls[0]?.resolve(1); // the old answer
    calls[1]?.resolve(2); // read after the write
    expect(await before).toBe(1);
    expect(await after).toBe(2);
    expect(await memo.get(load)).toBe(2);
    expect(calls).toHaveLength(2);
  });

  it("keeps no failed load: the next caller tries again", async () => {
    const memo = new IsolateMemo<number>(5_000);
    const { calls, load } = manualLoad();
    const failed = memo.get(load);
    calls[0]?.reject(new Error("D1 unavailable"));
    await expect(failed).rejects.toThrow("D1 unavailable");
    const retried = memo.get(load);
    expect(calls).toHaveLength(2);
    calls[1]?.resolve(5);
    expect(await retried).toBe(5);
  });
});
