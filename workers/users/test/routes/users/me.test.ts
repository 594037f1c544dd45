import { env } from "cloudflare:workers";
import type { User } from "@shop/contracts";
import { mintToken } from "@shop/testing/worker";
import { describe, expect, it } from "vitest";
import { call, expectProblem, signedInCustomer } from "../../helpers";

describe("GET /users/me", () => {
  it("returns the caller's own account", async () => {
    const { user, tokens } = await signedInCustomer();
    const res = await call("GET", "/users/me", { token: tokens.accessToken });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(user);
  });

  it("answers 404 for a valid token whose account no longer exists", async () => {
    const token = await mintToken(env.TEST_SIGNING_JWK, { sub: "usr_00000000000000000000000000" });
    await expectProblem(await call("GET", "/users/me", { token }), 404);
  });
});

describe("PATCH /users/me", () => {
  it("changes name and phone, and clears the phone with null", async () => {
    const { tokens } = await signedInCustomer();
    const res = await call("PATCH", "/users/me", {
      token: tokens.accessToken,
      body: { name: "Grace Hopper", phone: "+442071838750" },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ name: "Grace Hopper", phone: "+442071838750" });
    const cleared = await call("PATCH", "/users/me", { token: tokens.accessToken, body: { phone: null } });
    expect(await cleared.json()).toMatchObject({ name: "Grace Hopper", phone: null });
  });

  it.each([
    ["role", { role: "admin" }],
    ["emailVerified", { emailVerified: true }],
    ["email", { email: "new@example.com" }],
    ["id", { id: "usr_00000000000000000000000000" }],
  ])("refuses %s with 400 naming it, and changes nothing", async (field, extra) => {
    const { user, tokens } = await signedInCustomer();
    const res = await call("PATCH", "/users/me", { token: tokens.accessToken, body: { name: "Changed", ...extra } });
    const problem = await expectProblem(res, 400);
    expect(problem.errors).toEqual([{ path: field, message: "is not a known field" }]);
    const after = (await (await call("GET", "/users/me", { token: tokens.accessToken })).json()) as User;
    expect(after).toEqual(user);
    expect(after.role).toBe("customer");
  });

  it("refuses a name that carries a link with 400 naming name, and keeps the old one", async () => {
    const { tokens, user } = await signedInCustomer();
    const problem = await expectProblem(
      await call("PATCH", "/users/me", { token: tokens.accessToken, body: { name: "Refund at evil.example" } }),
      400,
    );
    expect(problem.errors?.map((e) => e.path)).toEqual(["name"]);
    const me = await call("GET", "/users/me", { token: tokens.accessToken });
    expect(await me.json()).toMatchObject({ name: user.name });
  });

  it("refuses an over-long name and a bad phone with 400 naming the field", async () => {
    const { tokens } = await signedInCustomer();
    const long = await expectProblem(
      await call("PATCH", "/users/me", { token: tokens.accessToken, body: { name: "x".repeat(101) } }),
      400,
    );
    expect(long.errors?.map((e) => e.path)).toEqual(["name"]);
    const phone = await expectProblem(
      await call("PATCH", "/users/me", { token: tokens.accessToken, body: { phone: "12345" } }),
      400,
    );
    expect(phone.errors?.map((e) => e.path)).toEqual(["phone"]);
  });

  it("refuses an empty change (no body, or {}) with 400", async () => {
    const { tokens } = await signedInCustomer();
    await expectProblem(await call("PATCH", "/users/me", { token: tokens.accessToken }), 400);
    await expectProblem(await call("PATCH", "/users/me", { token: tokens.accessToken, body: {} }), 400);
  });

  it("refuses a request without a token with 401 and changes nothing", async () => {
    await expectProblem(await call("PATCH", "/users/me", { body: { name: "Anonymous" } }), 401);
  });
});
