import { env } from "cloudflare:workers";
import { CLIENT_IP_HEADER } from "@shop/contracts";
import { describe, expect, it } from "vitest";
import { call, expectProblem, PASSWORD, registerUser, uniqueEmail } from "../../helpers";

/** A sign-in as the gateway forwards it: the client address in the header only the gateway sets. */
const loginFrom = (client: string, email: string, password: string) =>
  call("POST", "/users/login", { body: { email, password }, headers: { [CLIENT_IP_HEADER]: client } });

describe("sign-in throttle (per account and client)", () => {
  it("5 wrong passwords from client A do not stop the owner signing in from client B", async () => {
    const { email } = await registerUser();
    for (let i = 0; i < 5; i++) await expectProblem(await loginFrom("198.51.100.1", email, `wrong-password-${i}`), 401);
    // A must now wait, even with the right password…
    const blocked = await loginFrom("198.51.100.1", email, PASSWORD);
    await expectProblem(blocked, 429);
    expect(Number(blocked.headers.get("retry-after"))).toBe(1);
    // …but the owner elsewhere is not locked out.
    expect((await loginFrom("198.51.100.2", email, PASSWORD)).status).toBe(200);
  });

  it("25 simultaneous wrong guesses from one client: at most the allowance reach the password check", async () => {
    const { email } = await registerUser();
    const answers = await Promise.all(
      Array.from({ length: 25 }, (_, i) => loginFrom("198.51.100.3", email, `wrong-password-${i}`)),
    );
    const verdicts = answers.map((r) => r.status);
    const checked = verdicts.filter((s) => s === 401).length;
    expect(checked).toBeLessThanOrEqual(5);
    expect(checked).toBeGreaterThanOrEqual(1);
    expect(verdicts.filter((s) => s === 429).length).toBe(25 - checked);
    for (const r of answers.filter((a) => a.status === 429))
      expect(Number(r.headers.get("retry-after"))).toBeGreaterThan(0);
    const row = await env.DB.prepare("SELECT failures FROM login_client_throttle WHERE account = ?")
      .bind(email)
      .first<{ failures: number }>();
    expect(row?.failures).toBe(checked);
  });

  it("IPv6 addresses in one /64 share a bucket; another /64 does not", async () => {
    const { email } = await registerUser();
    for (let i = 1; i <= 5; i++) {
      await expectProblem(await loginFrom(`2001:db8:aa:1::${i}`, email, `wrong-password-${i}`), 401);
    }
    await expectProblem(await loginFrom("2001:db8:aa:1:dead:beef:0:1", email, "wrong-password-6"), 429);
    await expectProblem(await loginFrom("2001:db8:aa:2::1", email, "wrong-password-7"), 401);
    expect((await loginFrom("2001:db8:aa:2::99", email, PASSWORD)).status).toBe(200);
  });

  it("a client cannot pick its own bucket: without the gateway's header every caller is one client", async () => {
    const { email } = await registerUser();
    for (let i = 0; i < 5; i++)
      await expectProblem(await call("POST", "/users/login", { body: { email, password: `wrong-${i}-pass` } }), 401);
    await expectProblem(await call("POST", "/users/login", { body: { email, password: PASSWORD } }), 429);
  });

  it("the per-account ceiling slows guesses spread over many clients, with a short Retry-After", async () => {
    const { email } = await registerUser();
    for (let i = 0; i < 10; i++)
      await expectProblem(await loginFrom(`192.0.2.${i + 1}`, email, `wrong-password-${i}`), 401);
    const slowed = await loginFrom("192.0.2.200", email, PASSWORD);
    await expectProblem(slowed, 429);
    const wait = Number(slowed.headers.get("retry-after"));
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(30);
  });

  it("refusals look the same for unknown and known emails", async () => {
    const ghost = uniqueEmail("ghost");
    const { email } = await registerUser();
    for (const who of [ghost, email]) {
      for (let i = 0; i < 5; i++) await expectProblem(await loginFrom("198.51.100.9", who, `wrong-password-${i}`), 401);
    }
    const [a, b] = [
      await loginFrom("198.51.100.9", ghost, "x-password-1"),
      await loginFrom("198.51.100.9", email, "x-password-1"),
    ];
    const [pa, pb] = [await expectProblem(a, 429), await expectProblem(b, 429)];
    expect(pa).toMatchObject({ code: pb.code, detail: pb.detail });
    expect(a.headers.get("retry-after")).toBe(b.headers.get("retry-after"));
  });
});
