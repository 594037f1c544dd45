import { workerVitestConfig } from "@shop/testing/vitest";

export default workerVitestConfig({
  main: "./test/fixture-worker.ts",
  miniflare: {
    compatibilityDate: "2026-11-01",
    compatibilityFlags: ["nodejs_compat"],
    d1Databases: ["DB"],
  },
  bindings: { FAULT_INJECTION: "on", D1_METERS: "on" },
});
