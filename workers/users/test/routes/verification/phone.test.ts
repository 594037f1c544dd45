import { env } from "cloudflare:workers";
import { NotificationMessage, type User } from "@shop/contracts";
import { mintToken } from "@shop/testing/worker";
import { afterEach, describe, expect, it, vi } from "vitest";
import { call, expectProblem, registerUser, userByEmail } from "../../helpers";

afterEach(() => {
  vi.restoreAllMocks();
});

let n = 0;
const nextPhone = () => `+4930${String(Date.now()).slice(-7)}${++n}`;

/** A registered customer with a phone, and an access token as sign-in would issue. */
async function customerWithPhone(phone?: string) {
  const { email, user } = await registerUser(phone === undefined ? { phone: nextPhone() } : {});
  const token = await mintToken(env.TEST_SIGNING_JWK, { sub: user.id, email });
  return { email, phone: user.phone, token };
}

/** Asks for a code and returns it, read from the SMS message handed to the queue. */
async function requestCode(token: string) {
  const send = vi.spyOn(env.NOTIFICATIONS, "sendBatch");
  const res = await call("POST", "/users/me/phone/verify", { token });
  const messages = send.mock.calls.flatMap((c) => [...c[0]].map((m) => NotificationMessage.parse(m.body)));
  send.mockRestore();
  return { res, message: messages[0] };
}

/** The code a `user.phone_code` message carries ("" when there is none). */
const codeOf = (message: { data?: unknown } | undefined) =>
  (message?.data as { code?: string } | undefined)?.code ?? "";

const confirm = (token: string, code: string) => call("POST", "/users/me/phone/confirm", { token, body: { code } });

describe("phone verification", () => {
  it("sends a 6-digit code by SMS to the account's number, stored only hashed; the right code verifies", async () => {
    const { email, phone, token } = await customerWithPhone();
    const { res, message } = await requestCode(token);
    expect(res.status).toBe(202);
    expect(await res.json()).toMatchObject({ status: "code_sent" });
    expect(message).toMatchObject({ type: "user.phone_code", channels: ["sms"], data: { phone } });
    const code = codeOf(message);
    expect(code).toMatch(/^\d{6}$/);
    const stored = await env.DB.prepare("SELECT * FROM phone_verifications").all<Record<string, unknown>>();
    expect(JSON.stringify(stored.results)).not.toContain(`"${code}"`);

    expect((await userByEmail(email)).phoneVerified).toBe(false);
    const ok = await confirm(token, code);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ status: "verified" });
    expect((await userByEmail(email)).phoneVerified).toBe(true);
    // Single use: the same code again finds nothing to confirm.
    await expectProblem(await confirm(token, code), 400);
  });

  it("allows 5 attempts, then even the right code needs a new one", async () => {
    const { email, token } = await customerWithPhone();
    const { message } = await requestCode(token);
    const code = codeOf(message);
    const wrong = code === "000000" ? "111111" : "000000";
    for (let i = 0; i < 5; i++) {
      const problem = await expectProblem(await confirm(token, wrong), 400);
      expect(problem.errors?.map((e) => e.path)).toEqual(["code"]);
      expect(problem.detail).toBe(i < 4 ? `Wrong code; ${4 - i} attempt(s) left.` : "Wrong code; ask for a new one.");
    }
    await expectProblem(await confirm(token, code), 400);
    expect((await userByEmail(email)).phoneVerified).toBe(false);
  });

  it("counts parallel guesses atomically: 20 at once get at most 5 tries", async () => {
    const { token } = await customerWithPhone();
    await requestCode(token);
    await Promise.all(Array.from({ length: 20 }, (_, i) => confirm(token, String(100000 + i))));
    const row = await env.DB.prepare("SELECT attempts FROM phone_verifications").all<{ attempts: number }>();
    expect(Math.max(...row.results.map((r) => r.attempts))).toBeLessThanOrEqual(5);
  });

  it("refuses an expired code (10 minutes)", async () => {
    const { email, token } = await customerWithPhone();
    const { message } = await requestCode(token);
    const user = await userByEmail(email);
    await env.DB.prepare("UPDATE phone_verifications SET expires_at = ? WHERE user_id = ?")
      .bind(Date.now() - 1, user.id)
      .run();
    await expectProblem(await confirm(token, codeOf(message)), 400);
    expect((await userByEmail(email)).phoneVerified).toBe(false);
  });

  it("limits resends: a second code within a minute is 429 with Retry-After, and nothing is sent", async () => {
    const { token } = await customerWithPhone();
    expect((await requestCode(token)).res.status).toBe(202);
    const { res, message } = await requestCode(token);
    const problem = await expectProblem(res, 429);
    expect(problem.code).toBe("rate_limited");
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(message).toBeUndefined();
  });

  it("limits resends to 5 an hour", async () => {
    const { email, token } = await customerWithPhone();
    const user = await userByEmail(email);
    for (let i = 0; i < 5; i++) {
      expect((await requestCode(token)).res.status).toBe(202);
      // Pretend the minute between resends has passed.
      await env.DB.prepare("UPDATE phone_verifications SET sent_at = sent_at - 61000 WHERE user_id = ?")
        .bind(user.id)
        .run();
    }
    expect((await requestCode(token)).res.status).toBe(429);
  });

  it("a new phone number is unverified again, and its old code is void", async () => {
    const { email, token } = await customerWithPhone();
    const { message } = await requestCode(token);
    expect((await confirm(token, codeOf(message))).status).toBe(200);
    // The same number again keeps the verification.
    const same = await call("PATCH", "/users/me", { token, body: { phone: (await userByEmail(email)).phone } });
    expect(((await same.json()) as User).phoneVerified).toBe(true);

    const second = await requestCode(token);
    expect(second.res.status).toBe(409);
    const changed = await call("PATCH", "/users/me", { token, body: { phone: nextPhone() } });
    expect(((await changed.json()) as User).phoneVerified).toBe(false);
    expect((await userByEmail(email)).phoneVerified).toBe(false);
  });

  it("a code sent to the old number cannot verify a new number", async () => {
    const { email, token } = await customerWithPhone();
    const { message } = await requestCode(token);
    await call("PATCH", "/users/me", { token, body: { phone: nextPhone() } });
    await expectProblem(await confirm(token, codeOf(message)), 400);
    expect((await userByEmail(email)).phoneVerified).toBe(false);
  });

  it("without a phone there is nothing to verify: 409 naming phone", async () => {
    const { token } = await customerWithPhone("none");
    const problem = await expectProblem(await call("POST", "/users/me/phone/verify", { token }), 409);
    expect(problem.errors?.map((e) => e.path)).toEqual(["phone"]);
  });

  it("needs a signed-in caller", async () => {
    expect((await call("POST", "/users/me/phone/verify")).status).toBe(401);
    expect((await call("POST", "/users/me/phone/confirm", { body: { code: "123456" } })).status).toBe(401);
  });

  it.each([["12345"], ["1234567"], ["abcdef"]])("refuses the code %s with 400 naming code", async (code) => {
    const { token } = await customerWithPhone();
    const problem = await expectProblem(await confirm(token, code), 400);
    expect(problem.errors?.map((e) => e.path)).toEqual(["code"]);
  });
});
