import { join } from "node:path";
import type { TestProject } from "vitest/node";
// @ts-expect-error plain ESM module shared with `npm start`
import { PAYMENT_MODES as MODES, ROOT, startSystem } from "../../scripts/system.mjs";
import type { PaymentMode, SystemInfo } from "./modes";

const PAYMENT_MODES = MODES as PaymentMode[];
type Started = { url: string; smsPort: number; stripeUrl: string | null; emailDir: string; stop(): Promise<void> };

declare module "vitest" {
  export interface ProvidedContext {
    /** The first system's address (the simulated provider's, unless only Stripe mode runs). */
    baseUrl: string;
    smsUrl: string;
    stateDir: string;
    /** One whole system per payment provider mode: checkout suites run against each. */
    systems: Partial<Record<PaymentMode, SystemInfo>>;
  }
}

/**
 * Which provider modes to start: both unless E2E_PAYMENT_MODES names some (e.g. "simulated"
 * for a quick local run). Production has both, so `npm test` and the battery run both.
 */
function wantedModes(): PaymentMode[] {
  const listed = (process.env.E2E_PAYMENT_MODES ?? PAYMENT_MODES.join(","))
    .split(",")
    .map((m) => m.trim())
    .filter(Boolean);
  for (const m of listed)
    if (!PAYMENT_MODES.includes(m as PaymentMode)) throw new Error(`E2E_PAYMENT_MODES: unknown mode ${m}`);
  return listed as PaymentMode[];
}

/**
 * The battery's systems expire unpaid orders quickly, so its abandoned-payment rows see the
 * deadline pass in seconds; long enough that ordinary checkouts under load never get near it.
 */
export const BATTERY_DEADLINE_SECONDS = 20;

/**
 * The battery's verifiers keep the users key set this long (JWKS_CACHE_SECONDS), so the
 * isolation row's users outage outlasts the cache in seconds (the last good keys then verify
 * within the grace). The row reads the same variable.
 */
const BATTERY_JWKS_CACHE_SECONDS = Number(process.env.BATTERY_JWKS_CACHE_SECONDS ?? 5);

/**
 * A version-skew run (scripts/version-skew.mjs) runs some workers from another checkout:
 * E2E_WORKER_TREES maps those workers to its root, E2E_MIGRATION_TREES (default: the same)
 * says whose migrations each database gets. Unset: every worker from this checkout.
 */
function treesFrom(name: string): Record<string, string> | undefined {
  const raw = process.env[name];
  return raw ? (JSON.parse(raw) as Record<string, string>) : undefined;
}

/**
 * Starts one whole system per payment mode, side by side (each on its own ports and fresh
 * state folder, for this run only): the simulated provider on E2E_PORT, Stripe mode — payments
 * talking to the fake Stripe server, whose webhooks come back through the gateway — two ports up.
 */
export default async function setup(project: TestProject) {
  const basePort = Number(process.env.E2E_PORT ?? 8797);
  const battery = process.env.E2E_FAULTS === "on";
  const modes = wantedModes();
  const started = await Promise.allSettled(
    modes.map((provider: PaymentMode) => {
      // Each system takes three ports: gateway, SMS sink, and (Stripe mode) the fake Stripe server.
      const port = basePort + 3 * PAYMENT_MODES.indexOf(provider);
      const stateDir =
        provider === "simulated" && process.env.E2E_STATE_DIR
          ? process.env.E2E_STATE_DIR
          : join(ROOT, `.state-e2e-${port}`);
      const starting: Promise<Started> = startSystem({
        port,
        stateDir,
        fresh: true,
        quiet: true,
        logFile: `${stateDir}.log`,
        provider,
        // The battery's system is built with the armed test harness (fault switches, ADR 0015).
        harness: battery,
        trees: treesFrom("E2E_WORKER_TREES"),
        migrationTrees: treesFrom("E2E_MIGRATION_TREES"),
        // The suites create many accounts and place many orders from one address: the sign-in
        // throttle (the gateway's suite), the rate limits (e2e/security, on a system of its own)
        // and the per-number SMS cap (the notifications suite) are proven where they live.
        // SHOP_URL: the verification links in emails point at this system's storefront.
        vars: {
          AUTH_THROTTLE: "off",
          RATE_LIMITS: "off",
          SMS_CAP_PER_NUMBER: "50",
          SHOP_URL: `http://127.0.0.1:${port}`,
          ...(battery
            ? {
                PAYMENT_DEADLINE_SECONDS: String(BATTERY_DEADLINE_SECONDS),
                // The isolation row keeps users down past this key cache (production: 300 s).
                JWKS_CACHE_SECONDS: String(BATTERY_JWKS_CACHE_SECONDS),
                // The simulated system also reaches the Stripe webhook route (signature checks)
                // with a test secret; Stripe mode brings the fake's own.
                STRIPE_WEBHOOK_SECRET: `whsec_battery_${Date.now().toString(36)}`,
              }
            : {}),
        },
      });
      return starting.then((system) => ({ provider, stateDir, system }));
    }),
  );
  const up = started.flatMap((s) => (s.status === "fulfilled" ? [s.value] : []));
  const stopAll = async () => {
    await Promise.all(up.map((u) => u.system.stop()));
  };
  const failed = started.find((s) => s.status === "rejected");
  if (failed) {
    await stopAll();
    throw failed.reason;
  }

  const systems: Partial<Record<PaymentMode, SystemInfo>> = {};
  for (const { provider, stateDir, system } of up) {
    systems[provider] = {
      url: system.url,
      smsUrl: `http://127.0.0.1:${system.smsPort}`,
      stateDir,
      stripeUrl: system.stripeUrl,
      deadlineSeconds: battery ? BATTERY_DEADLINE_SECONDS : 900,
      emailDir: system.emailDir,
    };
  }
  const first = systems[modes[0] as PaymentMode] as SystemInfo;
  project.provide("systems", systems);
  project.provide("baseUrl", first.url);
  project.provide("smsUrl", first.smsUrl);
  project.provide("stateDir", first.stateDir);
  return stopAll;
}
