import { workerVitestConfig } from "@shop/testing/vitest";
import { seedSql } from "./scripts/seed.mjs";

export default workerVitestConfig({
  worker: "products",
  signingKey: true,
  migrations: ["products"],
  // The demo catalog `npm start` seeds, to check what shoppers meet in it.
  bindings: { TEST_SEED_SQL: seedSql() },
  auxiliaryWorkers: ["users"],
});
