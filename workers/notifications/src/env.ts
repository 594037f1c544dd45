import type { UsersRpc } from "@shop/contracts";
import type { ServiceContext, ServiceEnv } from "@shop/runtime";
import type { Db } from "./db/client";

/** Bindings from wrangler.toml plus secrets; `USERS` is typed by the contract, not the callee's source. */
export type NotificationsBindings = Omit<Env, "USERS"> & {
  USERS: UsersRpc;
  /** Twilio-style account id and token (`wrangler secret put` / `.dev.vars`). */
  SMS_ACCOUNT_SID: string;
  SMS_AUTH_TOKEN: string;
  /**
   * Optional overrides of the SMS caps per sliding hour (defaults 5 per number, 200 per country
   * calling code), e.g. `wrangler dev --var SMS_CAP_PER_COUNTRY:1000` for a load test.
   */
  SMS_CAP_PER_NUMBER?: string;
  SMS_CAP_PER_COUNTRY?: string;
};

/** The Hono env: bindings, the shared variables and `ctx` (ADR 0021). */
export type NotificationsEnv = ServiceEnv<NotificationsBindings, Db>;
/** What the notifications service verbs called from routes get first. */
export type NotificationsContext = ServiceContext<Db, NotificationsBindings>;
