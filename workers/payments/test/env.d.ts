import type { D1Migration } from "cloudflare:test";

declare global {
  namespace Cloudflare {
    interface Env {
      TEST_SIGNING_JWK: string;
      TEST_MIGRATIONS: D1Migration[];
      STRIPE_WEBHOOK_SECRET: string;
      STRIPE_WEBHOOK_SECRET_PREVIOUS: string;
    }
  }
}
