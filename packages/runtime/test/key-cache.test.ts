import { describe, expect, it } from "vitest";
import { JWKS_GRACE_MS, JWKS_TTL_MS, keyCacheWindows } from "../src/key-cache";

describe("keyCacheWindows(env)", () => {
  it("keeps the defaults (5 min fresh, 1 h grace) when the vars are absent", () => {
    expect(keyCacheWindows({})).toEqual({ ttlMs: 5 * 60_000, graceMs: 60 * 60_000 });
    expect(keyCacheWindows(undefined)).toEqual({ ttlMs: JWKS_TTL_MS, graceMs: JWKS_GRACE_MS });
  });

  it("reads whole seconds from string or number vars", () => {
    expect(keyCacheWindows({ JWKS_CACHE_SECONDS: "4", JWKS_GRACE_SECONDS: "12" })).toEqual({
      ttlMs: 4_000,
      graceMs: 12_000,
    });
    expect(keyCacheWindows({ JWKS_CACHE_SECONDS: 60, JWKS_GRACE_SECONDS: 0 })).toEqual({ ttlMs: 60_000, graceMs: 0 });
  });

  it.each([
    ["JWKS_CACHE_SECONDS", "0"],
    ["JWKS_CACHE_SECONDS", "3601"],
    ["JWKS_CACHE_SECONDS", "1.5"],
    ["JWKS_CACHE_SECONDS", "five"],
    ["JWKS_GRACE_SECONDS", "-1"],
    ["JWKS_GRACE_SECONDS", "86401"],
    ["JWKS_GRACE_SECONDS", "1e9"],
  ])("falls back to the default for %s=%s (out of bounds or not whole seconds)", (name, value) => {
    expect(keyCacheWindows({ [name]: value })).toEqual({ ttlMs: JWKS_TTL_MS, graceMs: JWKS_GRACE_MS });
  });
});
