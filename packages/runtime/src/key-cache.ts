import { log } from "./log";

/** Default: how long fetched keys are trusted before a refresh; an unknown `kid` refreshes sooner. */
export const JWKS_TTL_MS = 5 * 60_000;
/**
 * Default: how long past the cache lifetime the last good key set keeps verifying while `users`
 * cannot be reached: an identity outage of up to an hour logs nobody out (access tokens live
 * 15 min, so every token still valid was signed by a key we hold or by one rotated in during
 * the outage).
 */
export const JWKS_GRACE_MS = 60 * 60_000;

/** The two windows of a verifier's key cache (ADR 0012), in milliseconds. */
export type KeyCacheWindows = { ttlMs: number; graceMs: number };

export const DEFAULT_KEY_CACHE: KeyCacheWindows = { ttlMs: JWKS_TTL_MS, graceMs: JWKS_GRACE_MS };

/**
 * Accepted values, in whole seconds. The cache is at most an hour: a key removed from the JWKS
 * (say, after a leak) stops verifying within it. The grace may be 0 (no grace: stale keys that
 * cannot be refreshed give 503 at once) and at most a day, for the same reason.
 */
const BOUNDS = {
  JWKS_CACHE_SECONDS: { min: 1, max: 3_600 },
  JWKS_GRACE_SECONDS: { min: 0, max: 86_400 },
} as const;

/** Bad values already reported by this isolate: one warning each, not one per request. */
const reported = new Set<string>();

function seconds(env: Record<string, unknown>, name: keyof typeof BOUNDS, fallbackMs: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallbackMs;
  const value = typeof raw === "number" ? raw : typeof raw === "string" ? Number(raw.trim()) : Number.NaN;
  const { min, max } = BOUNDS[name];
  if (Number.isInteger(value) && value >= min && value <= max) return value * 1000;
  const key = `${name}=${String(raw)}`;
  if (!reported.has(key)) {
    reported.add(key);
    log("warn", {
      worker: "runtime",
      msg: `${name} must be whole seconds in ${min}..${max}; using the default`,
      value: String(raw),
    });
  }
  return fallbackMs;
}

/**
 * The key-cache windows of this worker's environment, from the optional vars
 * `JWKS_CACHE_SECONDS` (default 300) and `JWKS_GRACE_SECONDS` (default 3600), read per request
 * like `tokenClaims(env)`. Production keeps the defaults; test systems shorten them so an
 * identity outage can outlast both in seconds. A value out of bounds is a deployment slip:
 * the default is used (it is safe) and a warning is logged, rather than failing every
 * signed-in request.
 */
export function keyCacheWindows(env: unknown): KeyCacheWindows {
  const vars = (env ?? {}) as Record<string, unknown>;
  return {
    ttlMs: seconds(vars, "JWKS_CACHE_SECONDS", JWKS_TTL_MS),
    graceMs: seconds(vars, "JWKS_GRACE_SECONDS", JWKS_GRACE_MS),
  };
}
