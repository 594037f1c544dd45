import { fileURLToPath } from "node:url";
import { workerVitestConfig } from "@shop/testing/vitest";
import { seedSql } from "./scripts/seed.mjs";

export default workerVitestConfig({
  worker: "products",
  signingKey: true,
  migrations: ["products"],
  // The demo catalog `npm start` seeds, to check what shoppers meet in it.
  bindings: { TEST_SEED_SQL: seedSql() },
  auxiliaryWorkers: ["users"],
  miniflare: {
    // DB as wrangler.toml names it, and empty ones that test/migrations.test.ts migrates step by step.
    d1Databases: {
      DB: "00000000-0000-4000-8000-000000000002",
      MIGRATION_DB: "00000000-0000-4000-8000-0000000000f2",
      MARKET_PRICES_MIGRATION_DB: "00000000-0000-4000-8000-0000000000f3",
    },
  },
  // The armed runtime harness (ADR 0015), as the battery and the benchmark run it: its D1 meter
  // reports each request's round trips in Server-Timing, which the catalog tests hold to.
  vite: {
    resolve: {
      alias: {
        "@shop/runtime/harness": fileURLToPath(new URL("../../packages/runtime/src/harness/armed.ts", import.meta.url)),
      },
    },
  },
});
