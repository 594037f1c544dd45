import { env } from "cloudflare:workers";
import type { TokenPair, User } from "@shop/contracts";
import { sha256Hex } from "@shop/runtime";
import { describe, expect, it } from "vitest";
import { call, expectProblem, loginUser, registerUser, signedInCustomer } from "../../helpers";

describe("register → login → me → refresh → logout", () => {
  it("walks a whole session", async () => {
    const { email, user } = await registerUser({ phone: "+14155550123" });
    expect(user).toMatchObject({
      email,
      name: "Ada Lovelace",
      phone: "+14155550123",
      role: "customer",
      emailVerified: false,
    });
    expect(user.id).toMatch(/^usr_[0-9a-hjkmnp-tv-z]{26}$/);

    const tokens = await loginUser(email);
    expect(tokens).toMatchObject({ tokenType: "Bearer", expiresIn: 900, user: { id: user.id } });

    const me = await call("GET", "/users/me", { token: tokens.accessToken });
    expect(me.status).toBe(200);
    expect(((await me.json()) as User).id).toBe(user.id);

    const refreshed = await call("POST", "/users/refresh", { body: { refreshToken: tokens.refreshToken } });
    expect(refreshed.status).toBe(200);
    const next = (await refreshed.json()) as TokenPair;
    expect(next.refreshToken).not.toBe(tokens.refreshToken);
    expect((await call("GET", "/users/me", { token: next.accessToken })).status).toBe(200);

    const out = await call("POST", "/users/logout", { body: { refreshToken: next.refreshToken } });
    expect(out.status).toBe(204);
    await expectProblem(await call("POST", "/users/refresh", { body: { refreshToken: next.refreshToken } }), 401);
  });
});

describe("POST /users/refresh", () => {
  it("replaying a rotated token revokes the whole family, including the newest token", async () => {
    const { tokens } = await signedInCustomer();
    const first = await call("POST", "/users/refresh", { body: { refreshToken: tokens.refreshToken } });
    const newest = (await first.json()) as TokenPair;

    const replay = await expectProblem(
      await call("POST", "/users/refresh", { body: { refreshToken: tokens.refreshToken } }),
      401,
    );
    expect(replay.code).toBe("unauthorized");
    // The thief and the owner are both signed out: the successor no longer works either.
    await expectProblem(await call("POST", "/users/refresh", { body: { refreshToken: newest.refreshToken } }), 401);
  });

  it("two concurrent refreshes with one token: at most one wins, and the family ends up revoked", async () => {
    const { tokens } = await signedInCustomer();
    const results = await Promise.all(
      [1, 2].map(() => call("POST", "/users/refresh", { body: { refreshToken: tokens.refreshToken } })),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 401]);
    const winner = (await results.find((r) => r.status === 200)?.json()) as TokenPair;
    await expectProblem(await call("POST", "/users/refresh", { body: { refreshToken: winner.refreshToken } }), 401);
  });

  it("refuses an unknown token, no token at all (no body, no cookie) and a malformed body", async () => {
    await expectProblem(await call("POST", "/users/refresh", { body: { refreshToken: "x".repeat(43) } }), 401);
    await expectProblem(await call("POST", "/users/refresh", { body: {} }), 401);
    const bad = await expectProblem(await call("POST", "/users/refresh", { body: { refreshToken: "short" } }), 400);
    expect(bad.errors?.map((e) => e.path)).toEqual(["refreshToken"]);
  });

  it("refuses an expired refresh token", async () => {
    const { tokens } = await signedInCustomer();
    await env.DB.prepare("UPDATE refresh_tokens SET expires_at = 0 WHERE token_hash = ?")
      .bind(await sha256Hex(tokens.refreshToken))
      .run();
    await expectProblem(await call("POST", "/users/refresh", { body: { refreshToken: tokens.refreshToken } }), 401);
  });

  it("stores refresh tokens only as hashes", async () => {
    const { tokens } = await signedInCustomer();
    const raw = await env.DB.prepare("SELECT count(*) AS n FROM refresh_tokens WHERE token_hash = ?")
      .bind(tokens.refreshToken)
      .first<{ n: number }>();
    expect(raw?.n).toBe(0);
  });
});

describe("POST /users/logout", () => {
  it("revokes the family: older and newer tokens of the session stop working", async () => {
    const { email } = await registerUser();
    const tokens = await loginUser(email);
    const other = await loginUser(email); // a second device: its own family
    const res = await call("POST", "/users/logout", { body: { refreshToken: tokens.refreshToken } });
    expect(res.status).toBe(204);
    await expectProblem(await call("POST", "/users/refresh", { body: { refreshToken: tokens.refreshToken } }), 401);
    expect((await call("POST", "/users/refresh", { body: { refreshToken: other.refreshToken } })).status).toBe(200);
  });

  it("answers 204 for a token it does not know, and 400 without one", async () => {
    expect((await call("POST", "/users/logout", { body: { refreshToken: "y".repeat(43) } })).status).toBe(204);
    await expectProblem(await call("POST", "/users/logout", { body: { token: "y".repeat(43) } }), 400);
  });
});
