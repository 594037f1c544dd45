import type { AppEnv } from "@shop/runtime";
import type { ServiceBinding } from "./services";

/** Bindings from wrangler.toml; a service binding may be absent (its worker not deployed) and is then a 503. */
export type GatewayBindings = Omit<Env, ServiceBinding> & Partial<Record<ServiceBinding, Fetcher>>;
/** The Hono env (ADR 0021). The gateway has no D1 and no service verbs, so no `ctx`. */
export type GatewayEnv = AppEnv<GatewayBindings>;
