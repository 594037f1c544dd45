import { describe, expect, it } from "vitest";
import { call, uniqueEmail } from "../support/http";

describe("journey: an account from registration to logout", () => {
  it("registers, logs in, reads itself, refreshes, and a replayed refresh token revokes the family", async () => {
    const email = uniqueEmail("journey");
    const password = "correct-horse-42";

    const reg = await call("POST", "/users", { body: { email, password, name: "Journey Tester" } });
    expect(reg.status).toBe(201);
    expect(reg.body.email).toBe(email);
    expect(JSON.stringify(reg.body)).not.toMatch(/pbkdf2|password/i);

    const login = await call("POST", "/users/login", { body: { email, password } });
    expect(login.status).toBe(200);
    const { accessToken, refreshToken } = login.body;

    const me = await call("GET", "/users/me", { token: accessToken });
    expect(me.status).toBe(200);
    expect(me.body.id).toBe(reg.body.id);
    expect(me.body.role).toBe("customer");

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
