import { fileURLToPath } from "node:url";
import { workerVitestConfig } from "@shop/testing/vitest";

/** The id of the `users` D1 database in its wrangler.toml: shared so the setup file can migrate it. */
const USERS_DB_ID = "00000000-0000-4000-8000-000000000001";

export default workerVitestConfig({
  worker: "notifications",
  signingKey: true,
  migrations: ["notifications", "users"],
  bindings: {
    // Rate limits off like the other harnesses; test/rate-limits.test.ts turns them on to prove the 429.
    RATE_LIMITS: "off",
    SMS_ACCOUNT_SID: "ACtest",
    SMS_AUTH_TOKEN: "test-token",
    SMS_API_URL: "https://sms.test",
  },
  miniflare: {
    serviceBindings: {
      USERS: { name: "users", entrypoint: "UsersRpc" },
      // The real users HTTP app, to register users with contact details as a client would.
      USERS_HTTP: "users",
    },
    d1Databases: { DB: "00000000-0000-4000-8000-000000000006", USERS_DB: USERS_DB_ID },
    // Consumers are driven by the tests (createMessageBatch), never in the background.
    queueConsumers: {},
  },
  auxiliaryWorkers: [
    // users' own user.registered messages go to a queue nobody consumes here, so a
    // registration never triggers a background delivery in the middle of a test.
    { worker: "users", queueProducers: { NOTIFICATIONS: { queueName: "users-notifications-unconsumed" } } },
  ],
  // The armed runtime harness (ADR 0015), as the battery and the benchmark run it: its D1 meter
  // counts the queue consumer's round trips (GET /__meters), which test/queues/round-trips.test.ts
  // holds to.
  vite: {
    resolve: {
      alias: {
        "@shop/runtime/harness": fileURLToPath(new URL("../../packages/runtime/src/harness/armed.ts", import.meta.url)),
      },
    },
  },
});
