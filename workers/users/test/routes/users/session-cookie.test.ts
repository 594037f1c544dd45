import type { TokenPair } from "@shop/contracts";
import { describe, expect, it } from "vitest";
import { call, expectProblem, PASSWORD, registerUser } from "../../helpers";

/** The `shop_refresh` Set-Cookie of a response, split into its value and lower-cased attributes. */
function sessionCookieOf(res: Response) {
  const line = res.headers.getSetCookie().find((c) => c.startsWith("shop_refresh="));
  if (!line) return undefined;
  const [pair = "", ...attrs] = line.split(";").map((s) => s.trim());
  return { value: decodeURIComponent(pair.slice("shop_refresh=".length)), attrs: attrs.map((a) => a.toLowerCase()) };
}

const withCookie = (token: string) => ({ cookie: `shop_refresh=${encodeURIComponent(token)}` });

async function signIn() {
  const { email } = await registerUser();
  const res = await call("POST", "/users/login", { body: { email, password: PASSWORD } });
  expect(res.status).toBe(200);
  return { res, pair: (await res.json()) as TokenPair };
}

describe("the refresh token as a cookie", () => {
  it("login sets it HttpOnly, Secure, SameSite=Strict on /users for the token's lifetime (and keeps the JSON pair)", async () => {
    const { res, pair } = await signIn();
    const cookie = sessionCookieOf(res);
    expect(cookie?.value).toBe(pair.refreshToken);
    expect(cookie?.attrs).toEqual(
      expect.arrayContaining(["httponly", "secure", "samesite=strict", "path=/users", "max-age=2592000"]),
    );
    expect(cookie?.attrs.some((a) => a.startsWith("domain="))).toBe(false);
  });

  it("refresh reads the cookie when the body has none, rotates it, and keeps the new token out of the body", async () => {
    const { pair } = await signIn();
    const res = await call("POST", "/users/refresh", { body: {}, headers: withCookie(pair.refreshToken) });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Partial<TokenPair>;
    expect(body.accessToken).toBeTruthy();
    expect(body.user?.id).toBe(pair.user.id);
    expect(body).not.toHaveProperty("refreshToken");
    const next = sessionCookieOf(res);
    expect(next?.value).toBeTruthy();
    expect(next?.value).not.toBe(pair.refreshToken);
    expect(next?.attrs).toEqual(expect.arrayContaining(["httponly", "secure", "samesite=strict", "path=/users"]));

    // With no body at all (no content-type) too.
    const again = await call("POST", "/users/refresh", { headers: withCookie(next?.value ?? "") });
    expect(again.status).toBe(200);
    expect(sessionCookieOf(again)?.value).not.toBe(next?.value);
  });

  it("a replayed cookie revokes the family and the 401 removes the cookie", async () => {
    const { pair } = await signIn();
    const first = await call("POST", "/users/refresh", { body: {}, headers: withCookie(pair.refreshToken) });
    const successor = sessionCookieOf(first)?.value ?? "";
    const replay = await call("POST", "/users/refresh", { body: {}, headers: withCookie(pair.refreshToken) });
    await expectProblem(replay, 401);
    const cleared = sessionCookieOf(replay);
    expect(cleared?.value).toBe("");
    expect(cleared?.attrs).toEqual(expect.arrayContaining(["max-age=0", "path=/users"]));
    await expectProblem(await call("POST", "/users/refresh", { body: {}, headers: withCookie(successor) }), 401);
  });

  it("a body token wins over the cookie and gets its successor in the body as well", async () => {
    const { pair } = await signIn();
    const other = await signIn();
    const res = await call("POST", "/users/refresh", {
      body: { refreshToken: pair.refreshToken },
      headers: withCookie(other.pair.refreshToken),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as TokenPair;
    expect(body.user.id).toBe(pair.user.id);
    expect(sessionCookieOf(res)?.value).toBe(body.refreshToken);
    // The cookie's session was not touched.
    expect(
      (await call("POST", "/users/refresh", { body: {}, headers: withCookie(other.pair.refreshToken) })).status,
    ).toBe(200);
  });

  it("logout with the cookie revokes the session and clears the cookie; without any token it still clears it", async () => {
    const { pair } = await signIn();
    const out = await call("POST", "/users/logout", { body: {}, headers: withCookie(pair.refreshToken) });
    expect(out.status).toBe(204);
    expect(sessionCookieOf(out)).toMatchObject({ value: "" });
    expect(sessionCookieOf(out)?.attrs).toEqual(
      expect.arrayContaining(["max-age=0", "path=/users", "httponly", "secure"]),
    );
    await expectProblem(
      await call("POST", "/users/refresh", { body: {}, headers: withCookie(pair.refreshToken) }),
      401,
    );

    const bare = await call("POST", "/users/logout");
    expect(bare.status).toBe(204);
    expect(sessionCookieOf(bare)?.attrs).toContain("max-age=0");
  });

  it("no token anywhere is a 401 problem, and a cookie never makes a bad body acceptable", async () => {
    const { pair } = await signIn();
    await expectProblem(await call("POST", "/users/refresh", { body: {} }), 401);
    const bad = await expectProblem(
      await call("POST", "/users/refresh", { body: { token: "x" }, headers: withCookie(pair.refreshToken) }),
      400,
    );
    expect(bad.errors?.map((e) => e.path)).toEqual(["token"]);
  });
});
