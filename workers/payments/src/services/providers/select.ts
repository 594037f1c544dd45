import { faultyQueue } from "@shop/runtime";
import { database } from "../../db/client";
import type { PaymentProvider } from "./provider";
import type { SimulatedEvent } from "./simulated";
import { SimulatedProvider } from "./simulated";
import { StripeProvider } from "./stripe";

export type ProviderEnv = {
  DB: D1Database;
  PAYMENT_PROVIDER?: string;
  STRIPE_SECRET_KEY?: string;
  STRIPE_WEBHOOK_SECRET?: string;
  /** Test runs only: the fake Stripe's base URL (refused with a live key). */
  STRIPE_API_BASE?: string;
  /** Local and test configuration only: the simulated gateway's "webhooks". */
  SIMULATOR?: Queue<SimulatedEvent>;
};

/**
 * Stripe when both Stripe secrets are set; otherwise the simulated gateway. An environment that
 * says PAYMENT_PROVIDER = "stripe" but lacks the secrets refuses to take payments rather than
 * silently simulating them.
 */
export function selectProvider(env: ProviderEnv): PaymentProvider {
  if (env.STRIPE_SECRET_KEY && env.STRIPE_WEBHOOK_SECRET) {
    return new StripeProvider(env.STRIPE_SECRET_KEY, { apiBase: env.STRIPE_API_BASE || undefined });
  }
  if (env.PAYMENT_PROVIDER === "stripe") {
    throw new Error("PAYMENT_PROVIDER is stripe but STRIPE_SECRET_KEY / STRIPE_WEBHOOK_SECRET are not set");
  }
  return simulatedProvider(env);
}

/** The simulated gateway (test runs may arm duplicate delivery of its events: a webhook delivered 5×). */
export function simulatedProvider(env: ProviderEnv): SimulatedProvider {
  const queue = env.SIMULATOR ? faultyQueue(env, env.SIMULATOR, "payments.simulator") : undefined;
  return new SimulatedProvider(database(env.DB), queue);
}
