import type { D1Migration } from "cloudflare:test";

declare global {
  namespace Cloudflare {
    interface Env {
      TEST_SIGNING_JWK: string;
      TEST_MIGRATIONS: D1Migration[];
      TEST_SEED_SQL: string;
      /** An empty database for migration tests (vitest.config.ts). */
      MIGRATION_DB: D1Database;
      /** Another, for the migration that derives a product's price per market (0008). */
      MARKET_PRICES_MIGRATION_DB: D1Database;
    }
  }
}
