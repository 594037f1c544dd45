import type { D1Migration } from "cloudflare:test";

declare global {
  namespace Cloudflare {
    interface Env {
      TEST_SIGNING_JWK: string;
      TEST_MIGRATIONS: D1Migration[];
      TEST_USERS_MIGRATIONS: D1Migration[];
      /** The users worker's default (HTTP) entrypoint. */
      USERS_HTTP: Fetcher;
      /** The users worker's D1 database: to migrate it, and to find and verify registered accounts. */
      USERS_DB: D1Database;
    }
  }
}
