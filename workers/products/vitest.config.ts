import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { auxiliaryWorker, generateTestSigningJwk, REPO_ROOT } from "@shop/testing/node";
import { defineConfig } from "vitest/config";
import { seedSql } from "./scripts/seed.mjs";

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
            TEST_MIGRATIONS: await readD1Migrations(`${REPO_ROOT}/migrations/products`),
            // The demo catalog `npm start` seeds, to check what shoppers meet in it.
            TEST_SEED_SQL: seedSql(),
          },
          workers: [auxiliaryWorker("users", { JWT_PRIVATE_JWK: signingJwk })],
        },
      }),
    ],
  };
});
