import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { auxiliaryWorker, generateTestSigningJwk, REPO_ROOT } from "@shop/testing/node";
import { defineConfig } from "vitest/config";

/** The id of the `users` D1 database in its wrangler.toml: shared so the setup file can migrate it. */
const USERS_DB_ID = "00000000-0000-4000-8000-000000000001";

export default defineConfig(async () => {
  const signingJwk = await generateTestSigningJwk();
  const users = auxiliaryWorker("users", { JWT_PRIVATE_JWK: signingJwk });
  return {
    plugins: [
      cloudflareTest({
        wrangler: { configPath: "./wrangler.toml" },
        miniflare: {
          bindings: {
            TEST_SIGNING_JWK: signingJwk,
            // Rate limits off like the other harnesses; test/rate-limits.test.ts turns them on to prove the 429.
            RATE_LIMITS: "off",
            TEST_MIGRATIONS: await readD1Migrations(`${REPO_ROOT}/migrations/notifications`),
            TEST_USERS_MIGRATIONS: await readD1Migrations(`${REPO_ROOT}/migrations/users`),
            SMS_ACCOUNT_SID: "ACtest",
            SMS_AUTH_TOKEN: "test-token",
            SMS_API_URL: "https://sms.test",
          },
          serviceBindings: {
            USERS: { name: "users", entrypoint: "UsersRpc" },
            // The real users HTTP app, to register users with contact details as a client would.
            USERS_HTTP: "users",
          },
          d1Databases: { DB: "00000000-0000-4000-8000-000000000006", USERS_DB: USERS_DB_ID },
          // Consumers are driven by the tests (createMessageBatch), never in the background.
          queueConsumers: {},
          workers: [
            // users' own user.registered messages go to a queue nobody consumes here, so a
            // registration never triggers a background delivery in the middle of a test.
            { ...users, queueProducers: { NOTIFICATIONS: { queueName: "users-notifications-unconsumed" } } },
          ],
        },
      }),
    ],
    test: { setupFiles: ["./test/setup.ts"] },
  };
});
