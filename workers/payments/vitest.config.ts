import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { auxiliaryWorker, generateTestSigningJwk, REPO_ROOT } from "@shop/testing/node";
import { defineConfig } from "vitest/config";

export default defineConfig(async () => {
  const signingJwk = await generateTestSigningJwk();
  return {
    test: { setupFiles: ["./test/setup.ts"], silent: "passed-only" },
    plugins: [
      cloudflareTest({
        wrangler: { configPath: "./wrangler.toml" },
        miniflare: {
          bindings: {
            TEST_SIGNING_JWK: signingJwk,
            TEST_MIGRATIONS: await readD1Migrations(`${REPO_ROOT}/migrations/payments`),
            // Webhook signing secrets only: without STRIPE_SECRET_KEY the provider stays simulated.
            STRIPE_WEBHOOK_SECRET: "whsec_test_current",
            STRIPE_WEBHOOK_SECRET_PREVIOUS: "whsec_test_previous",
          },
          workers: [auxiliaryWorker("users", { JWT_PRIVATE_JWK: signingJwk })],
        },
      }),
    ],
  };
});
