// The storefront's only way to the back end: the public API on this origin.
// The session lives in memory only: the access token (15 min) in a variable, the refresh token
// in the `shop_refresh` cookie (HttpOnly, so no script, ours or injected, can read it). A page
// load restores the session by refreshing through the cookie; an expired access token is
// refreshed once (one refresh in flight at a time: refresh tokens rotate and a reused one
// revokes the whole session). Only a 401 from the refresh ends the session: a 503 or a
// network error keeps the shopper signed in and retries.

/** Older builds kept the whole token pair here; read once to migrate, then deleted. */
const LEGACY_SESSION_KEY = "shop.session";
/** Who is signed in, for the header while the session is being restored. Never a token. */
const USER_HINT_KEY = "shop.user";
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

const statusListeners = new Set();
/** Called with "unavailable" while the sign-in service cannot refresh the session, "ok" once it can. */
export function onSessionServiceChange(fn) {
  statusListeners.add(fn);
}

/** `{ accessToken, user }` in memory; `accessToken` is null until the first refresh answers. */
let session = null;
let legacyRefreshToken = null;

function readJson(key) {
  try {
    return JSON.parse(localStorage.getItem(key) ?? "null");
  } catch {
    return null;
  }
}

// Migration: a refresh token left in localStorage by an older build is taken out of storage
// at once and exchanged (below) for the cookie; nothing secret is written to storage again.
{
  const legacy = readJson(LEGACY_SESSION_KEY);
  localStorage.removeItem(LEGACY_SESSION_KEY);
  if (legacy?.refreshToken) {
    legacyRefreshToken = legacy.refreshToken;
    if (legacy.user) localStorage.setItem(USER_HINT_KEY, JSON.stringify(publicHint(legacy.user)));
  }
  const hint = readJson(USER_HINT_KEY);
  if (hint) session = { accessToken: null, user: hint };
}

/** What the header needs to show who is signed in (id, name, role): no token, no contact details. */
function publicHint(user) {
  return user ? { id: user.id, name: user.name, role: user.role } : null;
}

export function getSession() {
  return session;
}

/** Starts or updates the session from a sign-in or refresh answer; `null` ends it. */
export function setSession(tokens) {
  if (tokens) {
    const user = tokens.user ?? session?.user;
    session = { accessToken: tokens.accessToken, user };
    localStorage.setItem(USER_HINT_KEY, JSON.stringify(publicHint(user)));
  } else {
    session = null;
    legacyRefreshToken = null;
    localStorage.removeItem(USER_HINT_KEY);
  }
  for (const fn of listeners) fn(session);
}

export const guestCartId = () => localStorage.getItem(CART_KEY);
export const forgetGuestCart = () => localStorage.removeItem(CART_KEY);

let serviceState = "ok";
function setServiceState(state) {
  if (state === serviceState) return;
  serviceState = state;
  for (const fn of statusListeners) fn(state);
}

let refreshing = null;
let retryTimer = null;
let retryDelayMs = 2_000;
const MAX_RETRY_DELAY_MS = 60_000;

/**
 * Exchanges the refresh token (the cookie; once, a migrated legacy token) for a new access
 * token. Concurrent callers share one attempt. Resolves "ok", "expired" (the refresh answered
 * 401: the session is over) or "unavailable" (anything else: keep the session, retry later).
 */
export function refreshSession() {
  refreshing ??= (async () => {
    const body = legacyRefreshToken ? { refreshToken: legacyRefreshToken } : {};
    const post = () =>
      fetch("/users/refresh", {
        method: "POST",
        credentials: "same-origin",
        headers: { "content-type": "application/json", accept: "application/json" },
        body: JSON.stringify(body),
      });
    let res;
    try {
      // Tabs share the cookie: two tabs presenting the same token at once would look like a
      // replay and revoke the session, so refreshes are serialized across tabs.
      res = await (navigator.locks ? navigator.locks.request("shop.refresh", post) : post());
    } catch {
      return unavailable();
    }
    if (res.status === 401) {
      legacyRefreshToken = null;
      setServiceState("ok");
      if (session) setSession(null);
      return "expired";
    }
    if (!res.ok) return unavailable();
    legacyRefreshToken = null; // the answer set the cookie; the old token is spent
    const tokens = await res.json().catch(() => null);
    if (!tokens?.accessToken) return unavailable();
    clearTimeout(retryTimer);
    retryTimer = null;
    retryDelayMs = 2_000;
    setSession(tokens);
    setServiceState("ok");
    return "ok";
  })().finally(() => {
    refreshing = null;
  });
  return refreshing;
}

/** The sign-in service could not answer: say so, keep the session, try again with backoff. */
function unavailable() {
  setServiceState("unavailable");
  if (session && !retryTimer) {
    retryTimer = setTimeout(() => {
      retryTimer = null;
      refreshSession();
    }, retryDelayMs);
    retryDelayMs = Math.min(retryDelayMs * 2, MAX_RETRY_DELAY_MS);
  }
  return "unavailable";
}

/**
 * On page load: restore the session from the cookie. A visitor who was never signed in (no
 * hint, no legacy token) makes no request.
 */
export function restoreSession() {
  return session || legacyRefreshToken ? refreshSession() : Promise.resolve("expired");
}

/** Signs out: the server revokes the session and clears the cookie; locally it ends at once. */
export function signOut() {
  const accessToken = session?.accessToken;
  const body = legacyRefreshToken ? { refreshToken: legacyRefreshToken } : {};
  setSession(null);
  setServiceState("ok");
  clearTimeout(retryTimer);
  retryTimer = null;
  return fetch("/users/logout", {
    method: "POST",
    credentials: "same-origin",
    headers: { "content-type": "application/json", ...(accessToken ? { authorization: `Bearer ${accessToken}` } : {}) },
    body: JSON.stringify(body),
  }).catch(() => {});
}

export const SESSION_EXPIRED = "session_expired";
/** The session is kept, but the sign-in service cannot vouch for it right now. */
export const SESSION_UNAVAILABLE = "session_unavailable";

const expiredError = () =>
  new ApiError(401, {
    code: SESSION_EXPIRED,
    title: "Session expired",
    detail: "Your session expired, please sign in again.",
  });

const unavailableError = () =>
  new ApiError(503, {
    code: SESSION_UNAVAILABLE,
    title: "Service unavailable",
    detail: "Signing you in is not possible right now; retrying. You are still signed in.",
  });

/** Makes sure a signed-in call has an access token (after a reload it has none until a refresh). */
async function ensureAccessToken() {
  if (!session || session.accessToken) return;
  const outcome = await refreshSession();
  if (outcome === "expired") throw expiredError();
  if (outcome === "unavailable") throw unavailableError();
}

/**
 * One API call. `body` is sent as JSON; the result is the parsed JSON body (null for 204),
 * or `{ status, data }` with `withStatus`.
 * Throws ApiError with the problem's detail, code and field errors. Only a refresh that
 * answers 401 ends the session (SESSION_EXPIRED); a sign-in service that cannot answer
 * keeps it (SESSION_UNAVAILABLE).
 */
export async function api(method, path, { body, headers = {}, signal, withStatus = false } = {}) {
  const send = () => {
    const h = { accept: "application/json", ...headers };
    // A Blob or File (an image upload) goes as its own bytes and type; anything else as JSON.
    const raw = typeof Blob !== "undefined" && body instanceof Blob;
    if (body !== undefined) h["content-type"] = raw ? body.type || "application/octet-stream" : "application/json";
    if (session?.accessToken) h.authorization = `Bearer ${session.accessToken}`;
    // The guest cart travels with cart calls; signed in, it makes the server merge it once.
    const cartId = guestCartId();
    if (cartId && path.startsWith("/cart")) h["x-cart-id"] = cartId;
    const payload = body === undefined ? undefined : raw ? body : JSON.stringify(body);
    return fetch(path, { method, headers: h, body: payload, signal });
  };

  let res;
  try {
    await ensureAccessToken();
    res = await send();
    if (res.status === 401 && session) {
      const outcome = await refreshSession();
      if (outcome === "expired") throw expiredError();
      if (outcome === "unavailable") throw unavailableError();
      res = await send();
    }
  } catch (err) {
    if (err instanceof ApiError || err?.name === "AbortError") throw err;
    throw new ApiError(0, {
      title: "Network error",
      detail: "The shop could not be reached. Check your connection and try again.",
    });
  }

  const cartHeader = res.headers.get("x-cart-id");
  if (cartHeader && !session) localStorage.setItem(CART_KEY, cartHeader);

  const text = res.status === 204 ? "" : await res.text();
  let data = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = { detail: text.slice(0, 200) };
    }
  }
  // A 401 even with a fresh token is reported as is: only the refresh decides the session is over.
  if (!res.ok) throw new ApiError(res.status, data ?? {});
  // Once a signed-in cart call answered, the guest cart (if any) has been merged into it.
  if (path.startsWith("/cart") && session && data?.owner === "user") forgetGuestCart();
  return withStatus ? { status: res.status, data } : data;
}

/**
 * Adds units to the cart: `variantId` names the variant (size M, blue…); without it, the
 * product's default variant (a product without options). Answers the cart.
 */
export function addToCart(productId, quantity, variantId) {
  return api("POST", "/cart/items", { body: { productId, quantity, ...(variantId ? { variantId } : {}) } });
}

/** A list response's items (every list answers `{ items, nextCursor }`). */
export const itemsOf = (page) => page?.items ?? (Array.isArray(page) ? page : []);
