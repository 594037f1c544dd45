import { JWT_AUDIENCE, JWT_ISSUER, type TokenPair } from "@shop/contracts";
import { decodeJwt, decodeProtectedHeader } from "jose";
import { describe, expect, it } from "vitest";
import { call, expectProblem, PASSWORD, registerUser, uniqueEmail } from "../../helpers";

const login = (email: string, password: string) => call("POST", "/users/login", { body: { email, password } });

describe("POST /users/login", () => {
  it("issues a 15-minute EdDSA access token with kid, iss, aud, sub, role and email", async () => {
    const { email, user } = await registerUser();
    const res = await login(email.toUpperCase(), PASSWORD);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const pair = (await res.json()) as TokenPair;
    expect(decodeProtectedHeader(pair.accessToken)).toMatchObject({ alg: "EdDSA", kid: "test-current" });
    const claims = decodeJwt(pair.accessToken);
    expect(claims).toMatchObject({ iss: JWT_ISSUER, aud: JWT_AUDIENCE, sub: user.id, role: "customer", email });
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(900);
    expect(pair.refreshToken.length).toBeGreaterThanOrEqual(40);
  });

  it("answers a wrong password and an unknown email identically with 401", async () => {
    const { email } = await registerUser();
    const wrong = await expectProblem(await login(email, "wrong-password-1"), 401);
    const unknown = await expectProblem(await login(uniqueEmail("nobody"), "wrong-password-1"), 401);
    expect(wrong.detail).toBe(unknown.detail);
    expect(wrong.code).toBe(unknown.code);
  });

  it("after 5 failures from one client its 6th attempt waits (429 + Retry-After) even with the right password", async () => {
    const { email } = await registerUser();
    for (let i = 0; i < 5; i++) await expectProblem(await login(email, `wrong-password-${i}`), 401);
    const res = await login(email, PASSWORD);
    const problem = await expectProblem(res, 429);
    expect(problem.code).toBe("rate_limited");
    const retryAfter = Number(res.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBe(1); // the first step of the progressive delay (login-throttle.test.ts)
  });

  it("counts failures per account: another account is not slowed", async () => {
    const { email: locked } = await registerUser();
    const { email: other } = await registerUser();
    for (let i = 0; i < 5; i++) await login(locked, `wrong-password-${i}`);
    expect((await login(locked, PASSWORD)).status).toBe(429);
    expect((await login(other, PASSWORD)).status).toBe(200);
  });

  it("throttles unknown emails too, so a 429 does not reveal that an account exists", async () => {
    const email = uniqueEmail("ghost");
    for (let i = 0; i < 5; i++) await expectProblem(await login(email, `wrong-password-${i}`), 401);
    await expectProblem(await login(email, "wrong-password-6"), 429);
  });

  it("a successful sign-in clears earlier failures", async () => {
    const { email } = await registerUser();
    for (let i = 0; i < 4; i++) await login(email, `wrong-password-${i}`);
    expect((await login(email, PASSWORD)).status).toBe(200);
    for (let i = 0; i < 4; i++) await expectProblem(await login(email, `wrong-password-${i}`), 401);
    expect((await login(email, PASSWORD)).status).toBe(200);
  });

  it("refuses a cartId (cart merging belongs to orders) and missing fields with 400", async () => {
    const { email } = await registerUser();
    const extra = await expectProblem(
      await call("POST", "/users/login", { body: { email, password: PASSWORD, cartId: "crt_x" } }),
      400,
    );
    expect(extra.errors?.map((e) => e.path)).toEqual(["cartId"]);
    const missing = await expectProblem(await call("POST", "/users/login", { body: { email } }), 400);
    expect(missing.errors?.map((e) => e.path)).toEqual(["password"]);
  });
});
