import type { CallMeta } from "@shop/contracts";
import { serviceContextFor } from "@shop/runtime";
import { database } from "./db/client";
import type { NotificationsBindings, NotificationsContext } from "./env";

/**
 * The `ServiceContext` of an entry point outside the Hono app (queue consumers, inbound email):
 * drizzle over DB, the bindings, the caller's ids continued when given (ADR 0021).
 */
export function entryContext(
  env: NotificationsBindings,
  exec: ExecutionContext,
  meta?: CallMeta,
): NotificationsContext {
  return serviceContextFor({ db: database(env.DB), env, meta, defer: (work) => exec.waitUntil(work) });
}
