import { beforeAll, describe, expect, it } from "vitest";
import { type Call, call, login } from "../support/http";
import { createProduct } from "../support/shop";
import { fromClient, idNumbers, inParallel, newClientIp, signUp } from "./support";

/**
 * Guest cart ids are bearer capabilities: whoever holds one reaches that cart. They must be
 * unguessable (no counter, nothing derivable from a neighbour's id), and knowing a cart's id
 * alone must not be enough to take it.
 */
const BURST = 1_000;
const CART_ID = /crt_[0-9A-Za-z]+/;

let productId: string;
beforeAll(async () => {
  // A product of its own with stock for every cart: the seeded ones are bought by other suites.
  productId = (await createProduct(BURST + 100)).id;
});

/** Everything a guest got back that names or unlocks its cart: `x-cart-*` headers and cookies. */
function holderHeaders(res: Call): Record<string, string> {
  const out: Record<string, string> = {};
  res.headers.forEach((v, k) => {
    if (k.toLowerCase().startsWith("x-cart-")) out[k] = v;
  });
  const cookies = res.headers.getSetCookie().map((c) => c.split(";")[0]);
  if (cookies.length) out.cookie = cookies.join("; ");
  return out;
}

/** The bare `crt_…` id of a cart (what leaks: screenshots, logs, support tickets). */
function bareCartId(res: Call): string {
  const id = CART_ID.exec(`${res.body?.cartId ?? ""} ${res.headers.get("x-cart-id") ?? ""}`)?.[0];
  if (!id) throw new Error(`no cart id in ${JSON.stringify(res.body)}`);
  return id;
}

const quantityOf = (cart: { lines?: { productId: string; quantity: number }[] } | null, id: string) =>
  cart?.lines?.find((l) => l.productId === id)?.quantity ?? 0;

describe("security: guest carts", () => {
  it(`${BURST} guest cart ids minted in one burst share no predictable relation`, async () => {
    // One burst from many clients (a per-client limit on cart writes must not thin it out).
    const minted = await inParallel(BURST, 50, async (i) => {
      const add = () =>
        call("POST", "/cart/items", {
          body: { productId, quantity: 1 },
          headers: fromClient(`198.18.${i >> 8}.${i & 255}`),
        });
      let res = await add();
      // `wrangler dev` reloads a worker whose source changes under it (a shared working tree):
      // a write caught by the reload is refused with 503 and may simply be sent again.
      if (res.status === 503 && /restarted mid-request/.test(JSON.stringify(res.body))) res = await add();
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return bareCartId(res);
    });
    const ids = [...new Set(minted)].sort();
    expect(ids.length, "every cart is a new one").toBe(BURST);

    const bodies = ids.map((id) => id.slice("crt_".length));
    const numbers = idNumbers(bodies);
    const all = new Set(numbers);
    // A monotonic ULID factory makes the next id of the same millisecond `previous + 1`.
    const successors = numbers.filter((n) => all.has(n + 1n)).length;
    // Sorted neighbours that differ by a small amount share all but their last few random bits:
    // with ≥ 80 random bits, two independent ids differ by < 2^40 with probability ≈ 2^-40.
    const close = numbers.slice(1).filter((n, i) => n - (numbers[i] as bigint) < 2n ** 40n).length;
    expect({ successors, close }).toEqual({ successors: 0, close: 0 });
    // The random part is not a counter in disguise: every character position past the time
    // prefix (ULID: 10 chars) takes many values among ids minted in the same millisecond.
    const sameMs = new Map<string, string[]>();
    for (const b of bodies) sameMs.set(b.slice(0, 10), [...(sameMs.get(b.slice(0, 10)) ?? []), b]);
    const biggest = [...sameMs.values()].sort((a, b) => b.length - a.length)[0] ?? [];
    if (biggest.length >= 20) {
      const last = new Set(biggest.map((b) => b.slice(-1)));
      expect(last.size, "last characters of ids minted in one millisecond").toBeGreaterThan(8);
    }
  }, 300_000);

  it("a signed-in shopper who sends another client's guest cart id does not get that cart", async () => {
    const guestIp = newClientIp();
    const added = await call("POST", "/cart/items", {
      body: { productId, quantity: 2 },
      headers: fromClient(guestIp),
    });
    expect(added.status).toBe(200);
    const holder = { ...fromClient(guestIp), ...holderHeaders(added) };
    const victimCartId = bareCartId(added);

    const thief = await signUp("cart-thief");
    const { accessToken } = await login(thief);
    const before = await call("GET", "/cart", { token: accessToken, headers: fromClient(newClientIp()) });
    expect(before.status).toBe(200);
    expect(quantityOf(before.body, productId)).toBe(0);

    const claim = await call("GET", "/cart", {
      token: accessToken,
      headers: { ...fromClient(newClientIp()), "x-cart-id": victimCartId },
    });
    expect(claim.status, JSON.stringify(claim.body)).toBeLessThan(500);
    const claimWrite = await call("POST", "/cart/items", {
      token: accessToken,
      body: { productId, quantity: 1 },
      headers: { ...fromClient(newClientIp()), "x-cart-id": victimCartId },
    });
    expect(claimWrite.status, JSON.stringify(claimWrite.body)).toBeLessThan(500);

    // Refused: nothing of the guest's cart reached the thief's cart...
    const thiefCart = await call("GET", "/cart", { token: accessToken, headers: fromClient(newClientIp()) });
    expect(thiefCart.status).toBe(200);
    expect(quantityOf(thiefCart.body, productId), "only the thief's own unit").toBeLessThanOrEqual(1);
    // ...and nothing changed for the guest: the cart is still theirs, with its two units, still writable.
    const guestCart = await call("GET", "/cart", { headers: holder });
    expect(guestCart.status).toBe(200);
    expect(bareCartId(guestCart)).toBe(victimCartId);
    expect(quantityOf(guestCart.body, productId)).toBe(2);
    const guestWrite = await call("PATCH", `/cart/items/${productId}`, { body: { quantity: 3 }, headers: holder });
    expect(guestWrite.status, JSON.stringify(guestWrite.body)).toBe(200);
    expect(quantityOf(guestWrite.body, productId)).toBe(3);
  });

  it("another guest who knows only the cart id can neither read nor change the cart", async () => {
    const guestIp = newClientIp();
    const added = await call("POST", "/cart/items", { body: { productId, quantity: 2 }, headers: fromClient(guestIp) });
    expect(added.status).toBe(200);
    const holder = { ...fromClient(guestIp), ...holderHeaders(added) };
    const victimCartId = bareCartId(added);
    const stranger = { ...fromClient(newClientIp()), "x-cart-id": victimCartId };

    const read = await call("GET", "/cart", { headers: stranger });
    expect(read.status, JSON.stringify(read.body)).toBeLessThan(500);
    if (read.status === 200) expect(quantityOf(read.body, productId), "the stranger sees the guest's lines").toBe(0);
    const write = await call("PATCH", `/cart/items/${productId}`, { body: { quantity: 9 }, headers: stranger });
    expect(write.status, JSON.stringify(write.body)).toBeLessThan(500);
    const clear = await call("DELETE", "/cart", { headers: stranger });
    expect(clear.status, JSON.stringify(clear.body)).toBeLessThan(500);

    const guestCart = await call("GET", "/cart", { headers: holder });
    expect(guestCart.status).toBe(200);
    expect(quantityOf(guestCart.body, productId), "the guest's cart is unchanged").toBe(2);
  });

  it("reading a cart that does not exist creates nothing", async () => {
    const ip = newClientIp();
    const first = await call("GET", "/cart", { headers: fromClient(ip) });
    expect(first.status).toBe(200);
    expect(first.body.lines ?? []).toEqual([]);
    // No capability is handed out for a cart nobody wrote to: two reads name no cart, or
    // (if they do) never the same one, i.e. nothing was stored for the first.
    const second = await call("GET", "/cart", { headers: fromClient(ip) });
    const named = [first, second].map(
      (r) => CART_ID.exec(`${r.body?.cartId ?? ""} ${r.headers.get("x-cart-id") ?? ""}`)?.[0],
    );
    expect(named.filter(Boolean), "a read handed out a cart id").toEqual([]);
  });
});
