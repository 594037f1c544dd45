import type { ServiceContext, ServiceEnv } from "@shop/runtime";
import type { Db } from "./db/client";

/** Bindings from wrangler.toml plus the secrets (`wrangler secret put` / `.dev.vars`). */
export type UsersBindings = Env & {
  /** Ed25519 private JWK (with `kid`) that signs access tokens. */
  JWT_PRIVATE_JWK: string;
  /** JSON array of public JWKs still honoured after a rotation. */
  JWT_PREVIOUS_PUBLIC_JWKS?: string;
};

/** The Hono env: bindings, the shared variables and `ctx` (ADR 0021). */
export type UsersEnv = ServiceEnv<UsersBindings, Db>;
/** What every users service verb gets first. */
export type UsersContext = ServiceContext<Db, UsersBindings>;
