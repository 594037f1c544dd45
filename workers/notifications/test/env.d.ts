import type { D1Migration } from "cloudflare:test";

declare global {
  namespace Cloudflare {
    interface Env {
      TEST_SIGNING_JWK: string;
      TEST_MIGRATIONS: D1Migration[];
      TEST_USERS_MIGRATIONS: D1Migration[];
      /** The users worker's default (HTTP) entrypoint. */
      USERS_HTTP: Fetcher;
      /** The users worker's D1 database, only to migrate it. */
      USERS_DB: D1Database;
    }
  }
}
