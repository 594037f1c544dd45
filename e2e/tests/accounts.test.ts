import { describe, expect, it } from "vitest";
import { verificationToken } from "../support/contacts";
import { call, uniqueEmail } from "../support/http";
import { emailsTo } from "../support/mailbox";
import { eventually } from "../support/shop";

describe("journey: an account from registration to logout", () => {
  it("registers, logs in, verifies its email, refreshes, and a replayed refresh token revokes the family", async () => {
    const email = uniqueEmail("journey");
    const password = "correct-horse-42";

    // The answer says only "check your email": no id, no token, nothing about the address.
    const reg = await call("POST", "/users", { body: { email, password, name: "Journey Tester" } });
    expect(reg.status).toBe(202);
    expect(reg.body).toEqual({ status: "pending_verification" });

    // Sign-in works before the address is verified.
    const login = await call("POST", "/users/login", { body: { email, password } });
    expect(login.status).toBe(200);
    const { accessToken, refreshToken } = login.body;

    const me = await call("GET", "/users/me", { token: accessToken });
    expect(me.status).toBe(200);
    expect(me.body.id).toBe(login.body.user.id);
    expect(me.body).toMatchObject({ email, name: "Journey Tester", role: "customer", emailVerified: false });
    expect(JSON.stringify(me.body)).not.toMatch(/pbkdf2|password/i);

    // The address gets its verification link and nothing else until the link is followed;
    // then it is verified and the welcome follows.
    const token = await verificationToken(email);
    await new Promise((r) => setTimeout(r, 1_000)); // anything sent with the link has landed too
    expect((await emailsTo(email)).map((m) => m.subject)).toEqual(["Confirm your email address"]);
    const verified = await call("POST", "/users/verify-email", { body: { token } });
    expect(verified.status).toBe(200);
    expect(verified.body).toEqual({ status: "verified" });
    expect((await call("GET", "/users/me", { token: accessToken })).body.emailVerified).toBe(true);
    await eventually(
      async () => (await emailsTo(email)).some((m) => m.subject === "Welcome to Shop"),
      30_000,
      "welcome email after verification",
    );

    const refreshed = await call("POST", "/users/refresh", { body: { refreshToken } });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.refreshToken).not.toBe(refreshToken);
    const meAgain = await call("GET", "/users/me", { token: refreshed.body.accessToken });
    expect(meAgain.status).toBe(200);

    // Replaying the rotated token is treated as theft: the whole family is revoked.
    const replay = await call("POST", "/users/refresh", { body: { refreshToken } });
    expect(replay.status).toBe(401);
    const afterRevoke = await call("POST", "/users/refresh", { body: { refreshToken: refreshed.body.refreshToken } });
    expect(afterRevoke.status).toBe(401);

    // A fresh session logs out and its refresh token stops working.
    const second = await call("POST", "/users/login", { body: { email, password } });
    expect(second.status).toBe(200);
    const logout = await call("POST", "/users/logout", { body: { refreshToken: second.body.refreshToken } });
    expect(logout.status).toBe(204);
    const afterLogout = await call("POST", "/users/refresh", { body: { refreshToken: second.body.refreshToken } });
    expect(afterLogout.status).toBe(401);
  });

  it("refuses a request without a token, through the gateway, as problem+json", async () => {
    const res = await call("GET", "/users/me");
    expect(res.status).toBe(401);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    expect(res.body.code).toBe("unauthorized");
  });
});
