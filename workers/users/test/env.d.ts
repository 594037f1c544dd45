import type { D1Migration } from "cloudflare:test";

declare global {
  namespace Cloudflare {
    interface Env {
      JWT_PRIVATE_JWK: string;
      JWT_PREVIOUS_PUBLIC_JWKS?: string;
      TEST_SIGNING_JWK: string;
      TEST_PREVIOUS_SIGNING_JWK: string;
      TEST_MIGRATIONS: D1Migration[];
      TEST_SEED_SQL: string;
      /** `{ staging: { users: { JWT_ISSUER, JWT_AUDIENCE }, orders: … }, production: … }` from each wrangler.toml. */
      TEST_TOKEN_CLAIMS_BY_ENV: Record<string, Record<string, { JWT_ISSUER: string; JWT_AUDIENCE: string }>>;
    }
  }
}
