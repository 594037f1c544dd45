import type { D1Migration } from "cloudflare:test";

declare global {
  namespace Cloudflare {
    interface Env {
      TEST_SIGNING_JWK: string;
      TEST_MIGRATIONS: D1Migration[];
      TEST_PRODUCTS_MIGRATIONS: D1Migration[];
      TEST_PAYMENTS_MIGRATIONS: D1Migration[];
      TEST_USERS_MIGRATIONS: D1Migration[];
      /** The products worker's database (same id → same local database). */
      TEST_PRODUCTS_DB: D1Database;
      /** The payments worker's database. */
      TEST_PAYMENTS_DB: D1Database;
      /** The users worker's database (customer names for the admin listing). */
      TEST_USERS_DB: D1Database;
      /** An empty orders database, for migrating a history written before a migration. */
      TEST_LEGACY_DB: D1Database;
      /** Every message the orders worker put on the notifications queue. */
      TEST_NOTIFICATIONS: KVNamespace;
    }
  }
}
