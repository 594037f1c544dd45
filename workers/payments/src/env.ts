import type { AppEnv } from "@shop/runtime";

/** Bindings from wrangler.toml plus the secrets, which `wrangler types` cannot see. */
export type PaymentsEnv = Env & {
  STRIPE_SECRET_KEY?: string;
  /** Comma-separated while rotating: every listed secret is tried. */
  STRIPE_WEBHOOK_SECRET?: string;
  STRIPE_WEBHOOK_SECRET_PREVIOUS?: string;
};

export type PaymentsApp = AppEnv<PaymentsEnv>;
