import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN, type Call, call } from "../support/http";
import { faultsAt, type OwnSystem, signIn, sleep, startOwnSystem } from "./support";

/**
 * An identity outage logs nobody out (issue 12, item 3). `users` is stopped — every HTTP
 * request and every RPC it serves fails (test-only fault switches, ADR 0015) — for longer than
 * the key cache. Signed-in reads elsewhere keep working on the last good keys within the
 * grace, then answer 503 (never 401, which would make clients drop their sessions, never 500).
 *
 * The key cache and grace are shortened for this system only (JWKS_CACHE_SECONDS,
 * JWKS_GRACE_SECONDS, read by the runtime's verifier), so the outage outlasts both in seconds.
 */
const CACHE_SECONDS = 4;
const GRACE_SECONDS = 12;
/** `users.http`: its Hono app; `users.rpc`: its UsersRpc entrypoint (jwks, getContact). */
const USERS_DOWN = { "users.http": { mode: "error" }, "users.rpc": { mode: "error" } };

let system: OwnSystem;
let shopper: { accessToken: string; refreshToken: string };
let adminToken: string;

/** Signed-in reads served by each service other than users. */
const reads = (): Record<string, () => Promise<Call>> => ({
  orders: () => call("GET", "/orders", { token: shopper.accessToken, base: system.url }),
  notifications: () => call("GET", "/notifications/preferences", { token: shopper.accessToken, base: system.url }),
  payments: () => call("GET", "/payments", { token: adminToken, base: system.url }),
});

async function statuses(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const [name, read] of Object.entries(reads())) out[name] = (await read()).status;
  return out;
}

beforeAll(async () => {
  system = await startOwnSystem(
    { JWKS_CACHE_SECONDS: String(CACHE_SECONDS), JWKS_GRACE_SECONDS: String(GRACE_SECONDS) },
    0,
    { harness: true },
  );
  const email = `outage-${Date.now()}@example.com`;
  const password = "correct-horse-42";
  const reg = await call("POST", "/users", { body: { email, password, name: "Outage Tester" }, base: system.url });
  expect(reg.status, JSON.stringify(reg.body)).toBeLessThan(300);
  const signedIn = await signIn({ email, password }, "192.0.2.10", system.url);
  const admin = await signIn(ADMIN, "192.0.2.11", system.url);
  expect([signedIn.status, admin.status], JSON.stringify([signedIn.body, admin.body])).toEqual([200, 200]);
  shopper = signedIn.body;
  adminToken = admin.body.accessToken;
}, 180_000);

afterAll(async () => {
  await system?.stop();
});

describe("security: users down for longer than the key cache", () => {
  it("keeps signed-in reads working within the grace, then 503 — never 401 or 500 — and loses no session", async () => {
    // Every service fetches the keys now: the last good key set is from this moment.
    expect(await statuses()).toEqual({ orders: 200, notifications: 200, payments: 200 });
    const keysAt = Date.now();

    await faultsAt(system.url, "users", USERS_DOWN);
    try {
      // users itself is down, its keys cannot be fetched, and a refresh is not a 401.
      expect(
        (await call("GET", "/users/me", { token: shopper.accessToken, base: system.url })).status,
      ).toBeGreaterThanOrEqual(500);
      const refresh = await call("POST", "/users/refresh", {
        body: { refreshToken: shopper.refreshToken },
        base: system.url,
      });
      expect(refresh.status, "a refresh during the outage").not.toBe(401);
      expect(refresh.status).toBeGreaterThanOrEqual(500);

      // Past the key cache, inside the grace: still signed in everywhere.
      await sleep((CACHE_SECONDS + 1) * 1000 - (Date.now() - keysAt));
      expect(await statuses(), "past the key cache").toEqual({ orders: 200, notifications: 200, payments: 200 });

      // Until the grace runs out every answer is 200 or 503, and once 503 it stays 503.
      const seen: Record<string, number[]> = { orders: [], notifications: [], payments: [] };
      const until = keysAt + (CACHE_SECONDS + GRACE_SECONDS + 3) * 1000;
      while (Date.now() < until) {
        for (const [name, status] of Object.entries(await statuses())) seen[name]?.push(status);
        await sleep(1_000);
      }
      const last = await Promise.all(Object.values(reads()).map((read) => read()));
      for (const res of last) {
        expect(res.status).toBe(503);
        expect(res.headers.get("content-type")).toContain("application/problem+json");
        expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
      }
      for (const [name, list] of Object.entries(seen)) {
        expect(
          list.every((s) => s === 200 || s === 503),
          `${name}: ${list.join(",")}`,
        ).toBe(true);
        const first503 = list.indexOf(503);
        if (first503 >= 0)
          expect(
            list.slice(first503).every((s) => s === 503),
            `${name}: ${list.join(",")}`,
          ).toBe(true);
      }
    } finally {
      await faultsAt(system.url, "users", null);
    }

    // users is back: the same access token and refresh token work — nobody was logged out.
    // (A failed key fetch is retried at most every few seconds, so allow a short recovery.)
    const healthy = { orders: 200, notifications: 200, payments: 200 };
    let after = await statuses();
    for (let i = 0; i < 15 && JSON.stringify(after) !== JSON.stringify(healthy); i++) {
      await sleep(1_000);
      after = await statuses();
    }
    expect(after, "after the outage").toEqual(healthy);
    const refreshed = await call("POST", "/users/refresh", {
      body: { refreshToken: shopper.refreshToken },
      base: system.url,
    });
    expect(refreshed.status, JSON.stringify(refreshed.body)).toBe(200);
  }, 180_000);
});
