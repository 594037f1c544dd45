import { idPattern } from "@shop/contracts";
import { describe, expect, it } from "vitest";
import { newId, newSecret } from "../src/ids";

const CROCKFORD = "0123456789abcdefghjkmnpqrstvwxyz";

/** The 80-bit random part of a lower-cased ULID (its last 16 characters) as a number. */
function randomPart(id: string): bigint {
  let n = 0n;
  for (const ch of id.slice(-16)) n = n * 32n + BigInt(CROCKFORD.indexOf(ch));
  return n;
}

describe("newId", () => {
  // A synchronous burst mints many ids per millisecond (in production workerd's clock even
  // stands still without I/O): exactly where a monotonic ULID factory answers previous + 1.
  const burst = Array.from({ length: 1000 }, () => newId("cart"));
  const timeOf = (id: string) => id.slice(4, 14);

  it("mints prefixed ULIDs whose time prefix sorts in minting order, many per millisecond", () => {
    for (const id of burst) expect(id).toMatch(idPattern("crt"));
    const sameMs = burst.filter((id, i) => i > 0 && timeOf(id) === timeOf(burst[i - 1] as string)).length;
    expect(sameMs).toBeGreaterThan(500);
    for (let i = 1; i < burst.length; i++)
      expect(timeOf(burst[i] as string) >= timeOf(burst[i - 1] as string)).toBe(true);
  });

  it("gives every id of a burst fresh random bits: all distinct, no +1 steps, no small gaps", () => {
    expect(new Set(burst).size).toBe(burst.length);
    const parts = burst.map(randomPart);
    for (let i = 1; i < parts.length; i++) {
      const gap = (parts[i] as bigint) - (parts[i - 1] as bigint);
      // Any fixed step (±1, ±small) would let a neighbour's id be derived from one's own.
      expect(gap > 1_000_000n || gap < -1_000_000n, `ids ${i - 1} → ${i} differ by ${gap}`).toBe(true);
    }
  });

  it("spreads the random bits evenly: ~50 % ones overall and at every bit position", () => {
    const parts = burst.map(randomPart);
    let ones = 0;
    const perBit = new Array<number>(80).fill(0);
    for (const p of parts) {
      for (let bit = 0; bit < 80; bit++) {
        if ((p >> BigInt(bit)) & 1n) {
          ones++;
          perBit[bit] = (perBit[bit] as number) + 1;
        }
      }
    }
    // 80,000 fair bits: σ ≈ 0.18 %; 1,000 per position: σ ≈ 1.6 % (bounds are > 6 σ).
    expect(ones / 80_000).toBeGreaterThan(0.49);
    expect(ones / 80_000).toBeLessThan(0.51);
    for (const count of perBit) {
      expect(count).toBeGreaterThan(400);
      expect(count).toBeLessThan(600);
    }
  });
});

describe("newSecret", () => {
  it("is 128 random bits, base64url, never repeated", () => {
    const secrets = Array.from({ length: 1000 }, newSecret);
    expect(new Set(secrets).size).toBe(secrets.length);
    for (const s of secrets) expect(s).toMatch(/^[A-Za-z0-9_-]{22}$/);
    const bytes = Uint8Array.from(atob((secrets[0] as string).replaceAll("-", "+").replaceAll("_", "/")), (c) =>
      c.charCodeAt(0),
    );
    expect(bytes.byteLength).toBe(16);
  });
});
