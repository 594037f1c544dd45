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
            TEST_MIGRATIONS: await readD1Migrations(`${REPO_ROOT}/migrations/products`),
          },
          workers: [auxiliaryWorker("users", { JWT_PRIVATE_JWK: signingJwk })],
        },
      }),
    ],
  };
});
