import { faultyQueue } from "@shop/runtime";
import type { PaymentProvider } from "./provider";
import type { SimulatedEvent } from "./simulated";
import { SimulatedProvider } from "./simulated";
import { StripeProvider } from "./stripe";

export type ProviderEnv = {
  PAYMENT_PROVIDER?: string;
  STRIPE_SECRET_KEY?: string;
  STRIPE_WEBHOOK_SECRET?: string;
  SIMULATOR: Queue<SimulatedEvent>;
};

/**
 * Stripe when both Stripe secrets are set; otherwise the simulated gateway. An environment that
 * says PAYMENT_PROVIDER = "stripe" but lacks the secrets refuses to take payments rather than
 * silently simulating them.
 */
export function selectProvider(env: ProviderEnv): PaymentProvider {
  if (env.STRIPE_SECRET_KEY && env.STRIPE_WEBHOOK_SECRET) return new StripeProvider(env.STRIPE_SECRET_KEY);
  if (env.PAYMENT_PROVIDER === "stripe") {
    throw new Error("PAYMENT_PROVIDER is stripe but STRIPE_SECRET_KEY / STRIPE_WEBHOOK_SECRET are not set");
  }
  // Test runs may arm duplicate delivery of simulated outcomes (a webhook delivered 5×).
  return new SimulatedProvider(faultyQueue(env, env.SIMULATOR, "payments.simulator"));
}
