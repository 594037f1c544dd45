import { REFRESH_TOKEN_TTL_SECONDS, SESSION_COOKIE } from "@shop/contracts";
import { AppError, Unauthenticated } from "@shop/runtime";
import type { Context } from "hono";
import { generateCookie, getCookie } from "hono/cookie";
import type { CookieOptions } from "hono/utils/cookie";

/**
 * The browser's refresh token (ADR 0009): HttpOnly so script (and so an XSS) cannot read it,
 * Secure (browsers accept Secure cookies on http://localhost too), SameSite=Strict so no other
 * site can make the browser use it. Path=/users and not /users/refresh: the cookie must also
 * reach `POST /users/logout`, which revokes the session server-side; every `/users` route is
 * this same worker, and the others ignore it.
 */
export { SESSION_COOKIE };

const OPTIONS: CookieOptions = { path: "/users", httpOnly: true, secure: true, sameSite: "Strict" };

/** The refresh token from the cookie, if the request carried one. */
export const sessionCookieOf = (c: Context): string | undefined => getCookie(c, SESSION_COOKIE) || undefined;

/** `Set-Cookie` that stores `token` for as long as the token itself is valid. */
export const sessionCookie = (token: string): string =>
  generateCookie(SESSION_COOKIE, token, { ...OPTIONS, maxAge: REFRESH_TOKEN_TTL_SECONDS });

/** `Set-Cookie` that removes the cookie (same name, path and attributes, Max-Age=0). */
export const clearedSessionCookie = (): string => generateCookie(SESSION_COOKIE, "", { ...OPTIONS, maxAge: 0 });

/**
 * A refused session also drops the browser's dead cookie: the 401 carries the removal. The
 * domain error becomes the HTTP error here because only this route sets a cookie on a refusal.
 */
export function withClearedCookie(err: unknown): unknown {
  if (!(err instanceof Unauthenticated)) return err;
  return new AppError(401, "unauthorized", err.message, undefined, {
    "www-authenticate": 'Bearer realm="shop"',
    "set-cookie": clearedSessionCookie(),
  });
}
