import { JWT_ALGORITHM, type Jwks, type Principal, Role, type UsersRpc } from "@shop/contracts";
import type { Context, MiddlewareHandler } from "hono";
import { createLocalJWKSet, errors as joseErrors, jwtVerify } from "jose";
import { callMeta } from "./context";
import { AppError, forbidden, unauthorized } from "./errors";
import { answersCallersDifferently } from "./http-rules";
import { DEFAULT_KEY_CACHE, type KeyCacheWindows, keyCacheWindows } from "./key-cache";
import { log } from "./log";
import { LOCAL_TOKEN_CLAIMS, type TokenClaims, tokenClaims } from "./token-claims";

type KeySet = ReturnType<typeof createLocalJWKSet>;

/** Failed refreshes are retried at most this often while stale keys still verify. */
const MIN_REFRESH_INTERVAL_MS = 5_000;
/** What a client is told to wait when no key set can be had (users down, nothing cached). */
const KEYS_RETRY_AFTER_SECONDS = 5;

/** The keys cannot be had or trusted right now: the client should retry, not sign in again. */
const keysUnavailable = () =>
  new AppError(
    503,
    "service_unavailable",
    "Access tokens cannot be verified right now; try again shortly.",
    undefined,
    { "retry-after": String(KEYS_RETRY_AFTER_SECONDS) },
  );

/**
 * Verifies access tokens against the JWKS of `users`, fetched through a service
 * binding and cached per isolate. A token signed by a key we have not seen (rotation)
 * triggers one refresh, rate-limited, so rotation needs no restart.
 *
 * When `users` fails, a 401 would tell every client to drop its session for an outage it
 * cannot fix, so: a stale key set keeps verifying for the grace; with no usable key set
 * (never fetched, or past the grace) the answer is 503 `service_unavailable`; a `kid` miss is
 * a 401 only when the key set it missed in is fresh (otherwise the key may be a rotation we
 * could not fetch: 503). Failed refreshes are retried at most every `minRefreshIntervalMs`.
 *
 * How long keys are fresh and how long the grace lasts are the caller's `KeyCacheWindows`,
 * given per call (`keyCacheWindows(env)`: vars `JWKS_CACHE_SECONDS`, `JWKS_GRACE_SECONDS`;
 * defaults 5 min and 1 h), so a deployment or a test system sets them without a rebuild.
 */
export class TokenVerifier {
  private keySet: KeySet | undefined;
  private fetchedAt = 0;
  private lastAttemptAt = Number.NEGATIVE_INFINITY;
  private inflight: Promise<KeySet> | undefined;

  /** `now` is injectable so tests move time instead of sleeping (read per call, so a faked `Date` counts too). */
  constructor(
    private readonly minRefreshIntervalMs = MIN_REFRESH_INTERVAL_MS,
    private readonly now: () => number = () => Date.now(),
  ) {}

  private refresh(loadJwks: () => Promise<Jwks>): Promise<KeySet> {
    this.lastAttemptAt = this.now();
    this.inflight ??= Promise.resolve()
      .then(loadJwks)
      .then((jwks) => {
        const keySet = createLocalJWKSet(jwks as Parameters<typeof createLocalJWKSet>[0]);
        this.keySet = keySet;
        this.fetchedAt = this.now();
        return keySet;
      })
      .finally(() => {
        this.inflight = undefined;
      });
    return this.inflight;
  }

  private isFresh(w: KeyCacheWindows): boolean {
    return this.keySet !== undefined && this.now() - this.fetchedAt < w.ttlMs;
  }

  private inGrace(w: KeyCacheWindows): boolean {
    return this.keySet !== undefined && this.now() - this.fetchedAt < w.ttlMs + w.graceMs;
  }

  private mayRefresh(): boolean {
    return this.now() - this.lastAttemptAt >= this.minRefreshIntervalMs;
  }

  /** Fresh keys, or the last good ones within the grace; otherwise 503. */
  private async keys(loadJwks: () => Promise<Jwks>, w: KeyCacheWindows): Promise<KeySet> {
    if (this.keySet && this.isFresh(w)) return this.keySet;
    // With nothing usable held, every request may try: a 503 is no cheaper than the attempt.
    if (this.mayRefresh() || !this.inGrace(w)) {
      try {
        return await this.refresh(loadJwks);
      } catch (err) {
        log("warn", { worker: "runtime", msg: "jwks refresh failed", error: String(err), stale: this.inGrace(w) });
      }
    }
    if (this.keySet && this.inGrace(w)) return this.keySet;
    throw keysUnavailable();
  }

  /**
   * `loadJwks` is called per request context (service-binding I/O must not cross requests);
   * `windows` too is the request's (`keyCacheWindows(c.env)`), one isolate always passing the same.
   */
  async verify(
    token: string,
    loadJwks: () => Promise<Jwks>,
    expected: TokenClaims = LOCAL_TOKEN_CLAIMS,
    windows: KeyCacheWindows = DEFAULT_KEY_CACHE,
  ): Promise<Principal> {
    const keys = await this.keys(loadJwks, windows);
    try {
      return await this.verifyWith(keys, token, expected);
    } catch (err) {
      if (err instanceof joseErrors.JWKSNoMatchingKey)
        return this.verifyAfterKidMiss(token, loadJwks, expected, windows);
      throw tokenRefused(err);
    }
  }

  /** An unknown `kid`: maybe a rotation. Refetch (rate-limited) and try once more. */
  private async verifyAfterKidMiss(
    token: string,
    loadJwks: () => Promise<Jwks>,
    expected: TokenClaims,
    windows: KeyCacheWindows,
  ): Promise<Principal> {
    const wasFresh = this.isFresh(windows);
    let keys: KeySet | undefined;
    // Another request's refresh may be under way (this one was served the stale set meanwhile):
    // its answer decides, not the stale set. A refresh that just succeeded is authoritative too.
    const pending = this.inflight ?? (this.mayRefresh() ? this.refresh(loadJwks) : undefined);
    if (pending) {
      try {
        keys = await pending;
      } catch (err) {
        log("warn", { worker: "runtime", msg: "jwks refresh after kid miss failed", error: String(err) });
      }
    } else if (this.isFresh(windows)) {
      keys = this.keySet;
    }
    // No newer key set: a fresh one is authoritative (the kid is unknown); a stale one is not.
    if (!keys) throw wasFresh ? unauthorized("The access token is not valid.") : keysUnavailable();
    return this.verifyWith(keys, token, expected).catch((err: unknown) => {
      throw tokenRefused(err);
    });
  }

  /** Algorithm pinned; issuer and audience are this environment's (`tokenClaims(env)`). */
  private async verifyWith(keys: KeySet, token: string, expected: TokenClaims): Promise<Principal> {
    const { payload } = await jwtVerify(token, keys, {
      algorithms: [JWT_ALGORITHM],
      issuer: expected.issuer,
      audience: expected.audience,
      requiredClaims: ["exp", "iat", "sub"],
      clockTolerance: 5,
    });
    const role = Role.safeParse(payload.role);
    if (!role.success || typeof payload.sub !== "string" || typeof payload.email !== "string") {
      throw unauthorized("The access token is not valid.");
    }
    return { userId: payload.sub, role: role.data, email: payload.email };
  }
}

/** Whatever is wrong with a token itself is a 401 (never a 500); our own errors pass through. */
function tokenRefused(err: unknown): AppError {
  if (err instanceof AppError) return err;
  return unauthorized(
    err instanceof joseErrors.JWTExpired ? "The access token has expired." : "The access token is not valid.",
  );
}

function bearerToken(c: Context): string | undefined {
  const header = c.req.header("authorization");
  const m = header ? /^Bearer\s+([A-Za-z0-9._~+/-]+=*)$/i.exec(header.trim()) : null;
  return m?.[1];
}

/**
 * `authenticate(loadJwks)` sets `principal` when a valid token is present.
 * With `{ required: true }` (the default) a missing or bad token is 401.
 * One verifier (and key cache) per middleware instance, i.e. per isolate.
 */
export function authenticate(
  loadJwks: (c: Context) => Promise<Jwks>,
  opts: { required?: boolean; verifier?: TokenVerifier } = {},
): MiddlewareHandler {
  const required = opts.required ?? true;
  const verifier = opts.verifier ?? new TokenVerifier();
  return async (c, next) => {
    // Optional: anonymous callers get the public answer, identified ones their own.
    if (!required) answersCallersDifferently(c);
    const token = bearerToken(c);
    if (!token) {
      if (c.req.header("authorization") || required) throw unauthorized();
      return next();
    }
    c.set("principal", await verifier.verify(token, () => loadJwks(c), tokenClaims(c.env), keyCacheWindows(c.env)));
    return next();
  };
}

export function requireRole(role: Role): MiddlewareHandler {
  return async (c, next) => {
    const principal = c.get("principal") as Principal | undefined;
    if (!principal) throw unauthorized();
    if (principal.role !== role) throw forbidden();
    return next();
  };
}

/** The authenticated caller; routes behind `authenticate()` always have one. */
export function principalOf(c: Context): Principal {
  const principal = c.get("principal") as Principal | undefined;
  if (!principal) throw unauthorized();
  return principal;
}

/** One key cache per isolate for every middleware that reads keys from `users`. */
const usersVerifier = new TokenVerifier();

/**
 * The usual case (ADR 0002): keys from the `users` worker over its RPC binding `USERS`
 * (entrypoint `UsersRpc`), with one shared key cache however many middlewares use it.
 */
export function authenticateWithUsers(opts: { required?: boolean } = {}): MiddlewareHandler {
  return authenticate((c) => (c.env as { USERS: Pick<UsersRpc, "jwks"> }).USERS.jwks(callMeta(c)), {
    ...opts,
    verifier: usersVerifier,
  });
}
