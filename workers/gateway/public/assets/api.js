// The storefront's only way to the back end: the public API on this origin.
// Tokens and the guest cart id live in localStorage; an expired access token is refreshed
// once (one refresh in flight at a time, because refresh tokens rotate and a reused one
// revokes the whole session).

const SESSION_KEY = "shop.session";
const CART_KEY = "shop.cartId";

/** An API failure, carrying the problem+json fields a shopper can act on. */
export class ApiError extends Error {
  constructor(status, problem = {}) {
    super(problem.detail || problem.title || `Request failed (${status})`);
    this.status = status;
    this.code = problem.code ?? (status === 0 ? "network" : "unknown");
    this.title = problem.title ?? "";
    this.problem = problem;
    this.fieldErrors = Array.isArray(problem.errors) ? problem.errors : [];
  }
}

const listeners = new Set();
/** Called with the session (or null) whenever it changes. */
export function onSessionChange(fn) {
  listeners.add(fn);
}

export function getSession() {
  try {
    return JSON.parse(localStorage.getItem(SESSION_KEY) ?? "null");
  } catch {
    return null;
  }
}

export function setSession(tokens) {
  if (tokens) {
    const previous = getSession();
    const session = {
      accessToken: tokens.accessToken,
      refreshToken: tokens.refreshToken,
      user: tokens.user ?? previous?.user,
    };
    localStorage.setItem(SESSION_KEY, JSON.stringify(session));
  } else {
    localStorage.removeItem(SESSION_KEY);
  }
  for (const fn of listeners) fn(getSession());
}

export const guestCartId = () => localStorage.getItem(CART_KEY);
export const forgetGuestCart = () => localStorage.removeItem(CART_KEY);

let refreshing = null;
/** Exchanges the refresh token once; concurrent callers share the same attempt. */
function refreshSession() {
  refreshing ??= (async () => {
    const session = getSession();
    if (!session?.refreshToken) return false;
    try {
      const res = await fetch("/users/refresh", {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json" },
        body: JSON.stringify({ refreshToken: session.refreshToken }),
      });
      if (!res.ok) return false;
      setSession(await res.json());
      return true;
    } catch {
      return false;
    }
  })().finally(() => {
    refreshing = null;
  });
  return refreshing;
}

export const SESSION_EXPIRED = "session_expired";

/**
 * One API call. `body` is sent as JSON; the result is the parsed JSON body (null for 204),
 * or `{ status, data }` with `withStatus`.
 * Throws ApiError with the problem's detail, code and field errors.
 */
export async function api(method, path, { body, headers = {}, signal, withStatus = false } = {}) {
  const send = () => {
    const h = { accept: "application/json", ...headers };
    if (body !== undefined) h["content-type"] = "application/json";
    const session = getSession();
    if (session?.accessToken) h.authorization = `Bearer ${session.accessToken}`;
    // The guest cart travels with cart calls; signed in, it makes the server merge it once.
    const cartId = guestCartId();
    if (cartId && path.startsWith("/cart")) h["x-cart-id"] = cartId;
    return fetch(path, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body), signal });
  };

  const hadSession = Boolean(getSession());
  let res;
  try {
    res = await send();
    if (res.status === 401 && getSession()) {
      if (await refreshSession()) res = await send();
      else {
        setSession(null);
        throw new ApiError(401, {
          code: SESSION_EXPIRED,
          title: "Session expired",
          detail: "Your session expired, please sign in again.",
        });
      }
    }
  } catch (err) {
    if (err instanceof ApiError || err?.name === "AbortError") throw err;
    throw new ApiError(0, {
      title: "Network error",
      detail: "The shop could not be reached. Check your connection and try again.",
    });
  }

  const cartHeader = res.headers.get("x-cart-id");
  if (cartHeader && !getSession()) localStorage.setItem(CART_KEY, cartHeader);

  const text = res.status === 204 ? "" : await res.text();
  let data = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = { detail: text.slice(0, 200) };
    }
  }
  if (!res.ok) {
    if (res.status === 401 && hadSession) {
      setSession(null);
      throw new ApiError(401, {
        code: SESSION_EXPIRED,
        title: "Session expired",
        detail: "Your session expired, please sign in again.",
      });
    }
    throw new ApiError(res.status, data ?? {});
  }
  // Once a signed-in cart call answered, the guest cart (if any) has been merged into it.
  if (path.startsWith("/cart") && getSession() && data?.owner === "user") forgetGuestCart();
  return withStatus ? { status: res.status, data } : data;
}

/** A list response's items (every list answers `{ items, nextCursor }`). */
export const itemsOf = (page) => page?.items ?? (Array.isArray(page) ? page : []);
