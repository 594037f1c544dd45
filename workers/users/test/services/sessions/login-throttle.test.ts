import { env } from "cloudflare:workers";
import { RateLimited, serviceContextFor, Unauthenticated } from "@shop/runtime";
import { describe, expect, it } from "vitest";
import { database } from "../../../src/db/client";
import { login } from "../../../src/services/sessions/login";
import { ACCOUNT_WINDOW_MS, CLIENT_MAX_DELAY_MS } from "../../../src/services/sessions/login-throttle";
import { pruneLoginThrottle } from "../../../src/services/sessions/prune-login-throttle";
import { PASSWORD, registerUser } from "../../helpers";

/** A context whose clock reads `now`, as the cron and RPC entry points build one. */
const at = (now: number) => serviceContextFor({ db: database(env.DB), env, now, defer: () => {} });

/** The verdict of one attempt at time `at`: "ok", "wrong", or the Retry-After in seconds. */
async function attempt(
  email: string,
  client: string,
  password: string,
  time: number,
): Promise<"ok" | "wrong" | number> {
  try {
    await login(at(time), { email, password, client });
    return "ok";
  } catch (err) {
    if (err instanceof Unauthenticated) return "wrong";
    if (!(err instanceof RateLimited)) throw err;
    return err.retryAfterSeconds;
  }
}

describe("sign-in throttle over time", () => {
  it("Retry-After grows 1 s, 2 s, 4 s … per (account, client), up to the cap", async () => {
    const { email } = await registerUser();
    let t = 1_000_000_000_000;
    for (let i = 0; i < 5; i++) expect(await attempt(email, "c1", "wrong-password", t)).toBe("wrong");
    const waits: number[] = [];
    for (let i = 0; i < 12; i++) {
      const wait = await attempt(email, "c1", "wrong-password", t);
      expect(typeof wait).toBe("number");
      waits.push(wait as number);
      t += (wait as number) * 1000; // wait exactly as told, then guess again
      expect(await attempt(email, "c1", "wrong-password", t)).toBe("wrong");
    }
    expect(waits.slice(0, 5)).toEqual([1, 2, 4, 8, 16]);
    expect(Math.max(...waits)).toBe(CLIENT_MAX_DELAY_MS / 1000);
    // The right password after waiting signs in and clears the pair's count.
    t += CLIENT_MAX_DELAY_MS;
    expect(await attempt(email, "c1", PASSWORD, t)).toBe("ok");
    for (let i = 0; i < 5; i++) expect(await attempt(email, "c1", "wrong-password", t + i)).toBe("wrong");
  });

  it("the per-account ceiling only slows: the owner gets in from a new client once the short window ends", async () => {
    const { email } = await registerUser();
    const t = 1_100_000_000_000;
    for (let i = 0; i < 10; i++) expect(await attempt(email, `attacker-${i}`, "wrong-password", t)).toBe("wrong");
    const wait = await attempt(email, "owner", PASSWORD, t + 1);
    expect(wait).toBe(ACCOUNT_WINDOW_MS / 1000);
    expect(await attempt(email, "owner", PASSWORD, t + ACCOUNT_WINDOW_MS)).toBe("ok");
  });

  it("the owner's own sign-ins do not use up the per-account window; failures do", async () => {
    const { email } = await registerUser();
    const t = 1_150_000_000_000;
    for (let i = 0; i < 15; i++) expect(await attempt(email, `device-${i % 3}`, PASSWORD, t + i)).toBe("ok");
    for (let i = 0; i < 10; i++)
      expect(await attempt(email, `attacker-${i}`, "wrong-password", t + 20 + i)).toBe("wrong");
    expect(await attempt(email, "device-0", PASSWORD, t + 40)).toBeTypeOf("number");
  });

  it("a pair idle for 15 minutes starts again from a clean slate", async () => {
    const { email } = await registerUser();
    const t = 1_200_000_000_000;
    for (let i = 0; i < 5; i++) expect(await attempt(email, "c2", "wrong-password", t)).toBe("wrong");
    expect(await attempt(email, "c2", "wrong-password", t)).toBe(1);
    const later = t + 15 * 60_000 + 1;
    for (let i = 0; i < 5; i++)
      expect(await attempt(email, "c2", "wrong-password", later + i * ACCOUNT_WINDOW_MS)).toBe("wrong");
  });
});

describe("pruneLoginThrottle", () => {
  it("drops idle pairs and ended windows, and keeps anything that still affects a verdict", async () => {
    const t = 1_300_000_000_000;
    const account = "prune@example.com";
    await env.DB.batch([
      env.DB.prepare("INSERT INTO login_client_throttle VALUES (?, 'idle', 3, ?, ?)").bind(
        account,
        t - 16 * 60_000,
        t - 16 * 60_000,
      ),
      env.DB.prepare("INSERT INTO login_client_throttle VALUES (?, 'waiting', 9, ?, ?)").bind(
        account,
        t + 60_000,
        t - 16 * 60_000,
      ),
      env.DB.prepare("INSERT INTO login_client_throttle VALUES (?, 'recent', 2, ?, ?)").bind(account, t, t - 60_000),
      env.DB.prepare("INSERT INTO login_account_throttle VALUES (?, ?, 10, 'n')").bind(account, t - ACCOUNT_WINDOW_MS),
      env.DB.prepare("INSERT INTO login_account_throttle VALUES ('open@example.com', ?, 10, 'n')").bind(t - 1),
    ]);
    await pruneLoginThrottle(at(t));
    const clients = await env.DB.prepare("SELECT client FROM login_client_throttle WHERE account = ? ORDER BY client")
      .bind(account)
      .all<{ client: string }>();
    expect(clients.results.map((r) => r.client)).toEqual(["recent", "waiting"]);
    const accounts = await env.DB.prepare(
      "SELECT account FROM login_account_throttle WHERE account IN (?, 'open@example.com')",
    )
      .bind(account)
      .all<{ account: string }>();
    expect(accounts.results.map((r) => r.account)).toEqual(["open@example.com"]);
  });
});
