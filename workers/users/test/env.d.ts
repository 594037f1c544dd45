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
    }
  }
}
