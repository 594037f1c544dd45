import type { D1Migration } from "cloudflare:test";

declare global {
  namespace Cloudflare {
    interface Env {
      TEST_SIGNING_JWK: string;
      TEST_MIGRATIONS: D1Migration[];
      /** wrangler's resolved queues per environment (`local` = the top level), from vitest.config.ts. */
      TEST_DEPLOYED_QUEUES: Record<
        "local" | "staging" | "production",
        {
          name: string;
          queues: {
            producers?: { binding: string; queue: string }[];
            consumers?: { queue: string; dead_letter_queue?: string }[];
          };
        }
      >;
      STRIPE_WEBHOOK_SECRET: string;
      STRIPE_WEBHOOK_SECRET_PREVIOUS: string;
    }
  }
}
