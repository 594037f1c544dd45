import {
  JWT_ALGORITHM,
  JWT_AUDIENCE,
  JWT_ISSUER,
  type Jwks,
  type Principal,
  Role,
  type UsersRpc,
} from "@shop/contracts";
import type { Context, MiddlewareHandler } from "hono";
import { createLocalJWKSet, errors as joseErrors, jwtVerify } from "jose";
import { callMeta } from "./context";
import { forbidden, unauthorized } from "./errors";

type KeySet = ReturnType<typeof createLocalJWKSet>;

/** How long fetched keys are trusted before a refresh; an unknown `kid` refreshes sooner. */
const JWKS_TTL_MS = 5 * 60_000;
const MIN_REFRESH_INTERVAL_MS = 5_000;

/**
 * Verifies access tokens against the JWKS of `users`, fetched through a service
 * binding and cached per isolate. A token signed by a key we have not seen (rotation)
 * triggers one refresh, rate-limited, so rotation needs no restart.
 */
export class TokenVerifier {
  private keySet: KeySet | undefined;
  private fetchedAt = 0;
  private inflight: Promise<KeySet> | undefined;

  constructor(private readonly minRefreshIntervalMs = MIN_REFRESH_INTERVAL_MS) {}

  private refresh(loadJwks: () => Promise<Jwks>): Promise<KeySet> {
    this.inflight ??= loadJwks()
      .then((jwks) => {
        this.keySet = createLocalJWKSet(jwks as Parameters<typeof createLocalJWKSet>[0]);
        this.fetchedAt = Date.now();
        return this.keySet;
      })
      .finally(() => {
        this.inflight = undefined;
      });
    return this.inflight;
  }

  private async keys(loadJwks: () => Promise<Jwks>): Promise<KeySet> {
    if (this.keySet && Date.now() - this.fetchedAt < JWKS_TTL_MS) return this.keySet;
    return this.refresh(loadJwks);
  }

  /** `loadJwks` is called per request context (service-binding I/O must not cross requests). */
  async verify(token: string, loadJwks: () => Promise<Jwks>): Promise<Principal> {
    try {
      return await this.verifyWith(await this.keys(loadJwks), token);
    } catch (err) {
      if (err instanceof joseErrors.JWKSNoMatchingKey && Date.now() - this.fetchedAt >= this.minRefreshIntervalMs) {
        return this.verifyWith(await this.refresh(loadJwks), token).catch(() => {
          throw unauthorized("The access token is not valid.");
        });
      }
      throw unauthorized(
        err instanceof joseErrors.JWTExpired ? "The access token has expired." : "The access token is not valid.",
      );
    }
  }

  private async verifyWith(keys: KeySet, token: string): Promise<Principal> {
    const { payload } = await jwtVerify(token, keys, {
      algorithms: [JWT_ALGORITHM],
      issuer: JWT_ISSUER,
      audience: JWT_AUDIENCE,
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

export function bearerToken(c: Context): string | undefined {
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
    const token = bearerToken(c);
    if (!token) {
      if (c.req.header("authorization") || required) throw unauthorized();
      return next();
    }
    c.set("principal", await verifier.verify(token, () => loadJwks(c)));
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
