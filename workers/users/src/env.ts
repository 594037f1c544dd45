import type { AppEnv } from "@shop/runtime";

/** Bindings from wrangler.toml plus the secrets (`wrangler secret put` / `.dev.vars`). */
export type UsersBindings = Env & {
  /** Ed25519 private JWK (with `kid`) that signs access tokens. */
  JWT_PRIVATE_JWK: string;
  /** JSON array of public JWKs still honoured after a rotation. */
  JWT_PREVIOUS_PUBLIC_JWKS?: string;
};

export type UsersEnv = AppEnv<UsersBindings>;
