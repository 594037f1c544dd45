import { fileURLToPath } from "node:url";
import { workerVitestConfig } from "@shop/testing/vitest";

export default workerVitestConfig({
  main: "./test/fixture-worker.ts",
  miniflare: {
    compatibilityDate: "2026-11-01",
    compatibilityFlags: ["nodejs_compat"],
    // ORDERS_DB and PAYMENTS_DB get their worker's migrations in idempotency.test.ts: the one
    // idempotency table must work in both as they migrate it.
    d1Databases: ["DB", "ORDERS_DB", "PAYMENTS_DB"],
    durableObjects: { OUTBOX_OBJECT: { className: "OutboxObject", useSQLite: true }, ECHO: "Echo" },
  },
  migrations: ["orders", "payments"],
  // The fixture worker runs with the armed test harness, as the battery's builds do (ADR 0015).
  vite: {
    resolve: {
      alias: { "@shop/runtime/harness": fileURLToPath(new URL("./src/harness/armed.ts", import.meta.url)) },
    },
  },
});
