import { JWT_AUDIENCE, JWT_ISSUER } from "@shop/contracts";

/** Who signs access tokens and for whom: one pair per environment (ADR 0002). */
export type TokenClaims = { issuer: string; audience: string };

/**
 * The values of a local run and of the tests; `wrangler.toml` sets these at its top level and
 * each deployed environment sets its own, so a staging token is refused in production.
 */
export const LOCAL_TOKEN_CLAIMS: TokenClaims = { issuer: JWT_ISSUER, audience: JWT_AUDIENCE };

/**
 * The issuer and audience of this worker's environment, from the `JWT_ISSUER` / `JWT_AUDIENCE`
 * vars. Missing vars are a deployment mistake: fail closed (500) rather than fall back to the
 * local values, which would make every environment accept every other's tokens.
 */
export function tokenClaims(env: unknown): TokenClaims {
  const { JWT_ISSUER: issuer, JWT_AUDIENCE: audience } = (env ?? {}) as Record<string, unknown>;
  if (typeof issuer !== "string" || !issuer || typeof audience !== "string" || !audience) {
    throw new Error("JWT_ISSUER and JWT_AUDIENCE must be set in wrangler.toml for this environment");
  }
  return { issuer, audience };
}
