import { workerVitestConfig } from "@shop/testing/vitest";

/** Database ids from the neighbours' wrangler.toml: the same id is the same local database. */
const PRODUCTS_DB_ID = "00000000-0000-4000-8000-000000000002";
const PAYMENTS_DB_ID = "00000000-0000-4000-8000-000000000004";
const USERS_DB_ID = "00000000-0000-4000-8000-000000000001";

/**
 * Stands in for the notifications worker: consumes the `notifications` queue and keeps every
 * message in KV, so tests can see exactly what the orders worker queued.
 */
const NOTIFICATION_SINK = `export default {
  async queue(batch, env) {
    for (const m of batch.messages) {
      await env.SINK.put("msg:" + m.body.userId + ":" + m.body.id, JSON.stringify(m.body));
      m.ack();
    }
  },
};`;

export default workerVitestConfig({
  worker: "orders",
  signingKey: true,
  migrations: ["orders", "products", "payments", "users"],
  bindings: {
    // JSON log lines, as deployed: the dead-letter tests read their fields.
    LOG_FORMAT: "json",
    // Rate limits off like the other harnesses; test/rate-limits.test.ts turns them on to prove the 429.
    RATE_LIMITS: "off",
  },
  miniflare: {
    d1Databases: {
      TEST_PRODUCTS_DB: PRODUCTS_DB_ID,
      TEST_PAYMENTS_DB: PAYMENTS_DB_ID,
      TEST_USERS_DB: USERS_DB_ID,
      // A database of its own where migration 0003 meets a history written before it.
      TEST_LEGACY_DB: "orders-legacy-history",
    },
    kvNamespaces: { TEST_NOTIFICATIONS: "notification-sink" },
  },
  auxiliaryWorkers: [
    "users",
    "products",
    "payments",
    {
      name: "notification-sink",
      modules: true,
      script: NOTIFICATION_SINK,
      compatibilityDate: "2026-11-01",
      kvNamespaces: { SINK: "notification-sink" },
      queueConsumers: { notifications: { maxBatchTimeout: 0.05 } },
    },
  ],
  test: { testTimeout: 20_000, hookTimeout: 30_000 },
});
