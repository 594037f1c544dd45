import type { UsersRpc } from "@shop/contracts";
import type { AppEnv } from "@shop/runtime";

/** Bindings from wrangler.toml plus secrets; `USERS` is typed by the contract, not the callee's source. */
export type NotificationsBindings = Omit<Env, "USERS"> & {
  USERS: UsersRpc;
  /** Twilio-style account id and token (`wrangler secret put` / `.dev.vars`). */
  SMS_ACCOUNT_SID: string;
  SMS_AUTH_TOKEN: string;
};

export type NotificationsEnv = AppEnv<NotificationsBindings>;
