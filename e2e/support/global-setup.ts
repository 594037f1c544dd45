import { join } from "node:path";
import type { TestProject } from "vitest/node";
// @ts-expect-error plain ESM module shared with `npm start`
import { ROOT, startSystem } from "../../scripts/system.mjs";

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
    smsUrl: string;
    stateDir: string;
  }
}

/** Starts the whole system on its own port and a fresh state folder, for this run only. */
export default async function setup(project: TestProject) {
  const port = Number(process.env.E2E_PORT ?? 8797);
  const stateDir = process.env.E2E_STATE_DIR ?? join(ROOT, `.state-e2e-${port}`);
  const system = await startSystem({
    port,
    stateDir,
    fresh: true,
    quiet: true,
    logFile: `${stateDir}.log`,
    // The suites create many accounts from one address; the per-client throttle is tested in
    // the gateway's own suite. The battery also turns on the test-only fault switches.
    vars: {
      AUTH_THROTTLE: "off",
      ...(process.env.E2E_FAULTS === "on"
        ? // The battery also reaches the Stripe webhook route (signature checks) with a test secret.
          { FAULT_INJECTION: "on", STRIPE_WEBHOOK_SECRET: `whsec_battery_${Date.now().toString(36)}` }
        : {}),
    },
  });
  project.provide("baseUrl", system.url);
  project.provide("smsUrl", `http://127.0.0.1:${system.smsPort}`);
  project.provide("stateDir", stateDir);
  return async () => {
    await system.stop();
  };
}
