import { describe, expect, it } from "vitest";
import { call } from "../support/http";
import { newClientIp, retryAfter, signIn, signUp, sleep } from "./support";

/**
 * Sign-in throttling that an attacker cannot turn on the account's owner (users README,
 * "Sign-in throttle"). Clients are told apart by CF-Connecting-IP (see support.ts). The shared
 * e2e system runs with the gateway's per-IP limiter off (AUTH_THROTTLE=off), so what is
 * measured here is the users service's own per-(account, client) policy.
 *
 * LOGIN_ALLOWANCE: how many wrong passwords one client may try for one account before it is
 * slowed (the policy's allowance; override with E2E_LOGIN_ALLOWANCE if the policy changes).
 */
const LOGIN_ALLOWANCE = Number(process.env.E2E_LOGIN_ALLOWANCE ?? 5);
/** The longest Retry-After the owner may be asked to wait once an attack slowed the account. */
const OWNER_MAX_WAIT_SECONDS = 30;

const wrong = (email: string) => ({ email, password: "not-the-password-1" });

describe("security: sign-in throttling", () => {
  it("5 wrong passwords from client A do not stop the owner signing in from client B", async () => {
    const owner = await signUp("lockout-victim");
    const attacker = newClientIp();
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await signIn(wrong(owner.email), attacker);
      statuses.push(res.status);
      expect(res.body?.accessToken, "a wrong password never yields a token").toBeUndefined();
    }
    expect(
      statuses.every((s) => s === 401 || s === 429),
      statuses.join(","),
    ).toBe(true);

    // The owner, from another client, with the right password: in at once.
    const ownerLogin = await signIn(owner, newClientIp());
    expect(ownerLogin.status, JSON.stringify(ownerLogin.body)).toBe(200);
    expect(typeof ownerLogin.body.accessToken).toBe("string");
    const me = await call("GET", "/users/me", { token: ownerLogin.body.accessToken });
    expect(me.status).toBe(200);
    expect(me.body.email).toBe(owner.email);

    // The attacker's client is still refused (wrong password: never a token).
    const again = await signIn(wrong(owner.email), attacker);
    expect([401, 429]).toContain(again.status);
  });

  it("25 simultaneous wrong guesses for one account get at most the policy's allowance", async () => {
    const owner = await signUp("guess-race");
    const attacker = newClientIp();
    const results = await Promise.all(Array.from({ length: 25 }, () => signIn(wrong(owner.email), attacker)));
    const statuses = results.map((r) => r.status);
    // 401 = the password was checked (a guess spent); 429 = refused before checking.
    const checked = statuses.filter((s) => s === 401).length;
    const throttled = results.filter((r) => r.status === 429);
    expect(
      statuses.every((s) => s === 401 || s === 429),
      statuses.join(","),
    ).toBe(true);
    expect(checked, `guesses checked (allowance ${LOGIN_ALLOWANCE})`).toBeLessThanOrEqual(LOGIN_ALLOWANCE);
    expect(throttled.length).toBeGreaterThanOrEqual(25 - LOGIN_ALLOWANCE);
    for (const r of throttled) {
      expect(r.headers.get("content-type")).toContain("application/problem+json");
      expect(retryAfter(r), "Retry-After on every 429").toBeGreaterThan(0);
    }
    // Nothing changed for the owner: from their own client they get in, at worst after one
    // short wait (the per-account ceiling slows, it never locks).
    const ownerIp = newClientIp();
    let ownerLogin = await signIn(owner, ownerIp);
    if (ownerLogin.status === 429) {
      const wait = retryAfter(ownerLogin);
      expect(wait, "the owner's wait").toBeLessThanOrEqual(OWNER_MAX_WAIT_SECONDS);
      await sleep(wait * 1000 + 250);
      ownerLogin = await signIn(owner, ownerIp);
    }
    expect(ownerLogin.status, JSON.stringify(ownerLogin.body)).toBe(200);
  });

  it("addresses of one IPv6 /64 are one client", async () => {
    const owner = await signUp("ipv6-64");
    const prefix = `2001:db8:${Math.floor(Math.random() * 0xffff).toString(16)}:7`;
    // A client that rotates through its /64 (every IPv6 customer has 2^64 addresses).
    const guesses: number[] = [];
    for (let i = 1; i <= LOGIN_ALLOWANCE + 3; i++) {
      guesses.push((await signIn(wrong(owner.email), `${prefix}::${i.toString(16)}`)).status);
    }
    expect(guesses.filter((s) => s === 401).length, guesses.join(",")).toBeLessThanOrEqual(LOGIN_ALLOWANCE);
    expect(guesses.at(-1)).toBe(429);
    // Another /64 is another client: the owner signs in from there.
    const elsewhere = await signIn(owner, `2001:db8:ffff:${Math.floor(Math.random() * 0xffff).toString(16)}::1`);
    expect(elsewhere.status, JSON.stringify(elsewhere.body)).toBe(200);
  });
});
