import { fileURLToPath } from "node:url";
import { workerVitestConfig } from "@shop/testing/vitest";

export default workerVitestConfig({
  main: "./test/fixture-worker.ts",
  miniflare: {
    compatibilityDate: "2026-11-01",
    compatibilityFlags: ["nodejs_compat"],
    d1Databases: ["DB"],
    durableObjects: { ECHO: "Echo" },
  },
  // The fixture worker runs with the armed test harness, as the battery's builds do (ADR 0015).
  vite: {
    resolve: {
      alias: { "@shop/runtime/harness": fileURLToPath(new URL("./src/harness/armed.ts", import.meta.url)) },
    },
  },
});
