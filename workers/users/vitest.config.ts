import { generateTestSigningJwk, REPO_ROOT } from "@shop/testing/node";
import { workerVitestConfig } from "@shop/testing/vitest";
import { unstable_readConfig } from "wrangler";
import { seedSql } from "./scripts/seed.mjs";

/** The public half of a private JWK: what a previous key looks like in JWT_PREVIOUS_PUBLIC_JWKS. */
function publicOf(privateJwk: string): Record<string, unknown> {
  const { d: _private, ...pub } = JSON.parse(privateJwk) as Record<string, unknown>;
  return pub;
}

/** JWT_ISSUER / JWT_AUDIENCE of every token-verifying worker per deployed environment, from their wrangler.toml. */
function tokenClaimsByEnvironment(): Record<string, Record<string, Record<string, unknown>>> {
  const workers = ["users", "products", "orders", "payments", "notifications"];
  return Object.fromEntries(
    ["staging", "production"].map((env) => [
      env,
      Object.fromEntries(
        workers.map((w) => {
          const { vars } = unstable_readConfig({ config: `${REPO_ROOT}/workers/${w}/wrangler.toml`, env });
          return [w, { JWT_ISSUER: vars.JWT_ISSUER, JWT_AUDIENCE: vars.JWT_AUDIENCE }];
        }),
      ),
    ]),
  );
}

export default workerVitestConfig({
  worker: "users",
  // A fresh key pair per run: the current signing key, and a "previous" one still honoured after rotation.
  signingKey: { kid: "test-current" },
  migrations: ["users"],
  bindings: async ({ signingJwk }) => {
    const previousJwk = await generateTestSigningJwk("test-previous");
    return {
      JWT_PRIVATE_JWK: signingJwk,
      JWT_PREVIOUS_PUBLIC_JWKS: JSON.stringify([publicOf(previousJwk)]),
      TEST_PREVIOUS_SIGNING_JWK: previousJwk,
      // The SQL `npm start` runs (default passwords), to prove Node's hashes verify in the worker.
      TEST_SEED_SQL: seedSql({}),
      TEST_TOKEN_CLAIMS_BY_ENV: tokenClaimsByEnvironment(),
    };
  },
});
