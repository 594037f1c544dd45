import { log, serviceContextFor } from "@shop/runtime";
import { database } from "./db/client";
import type { ProductsBindings } from "./env";
import { expireDueReservations } from "./services/reservations/expire-due";

/** Cron (every minute): gives back stock held by reservations whose time is up. */
export async function scheduled(controller: ScheduledController, env: Env, ctx: ExecutionContext): Promise<void> {
  const expired = await expireDueReservations(
    serviceContextFor({
      db: database(env.DB),
      // The same bindings; USERS is typed by its contract rather than by wrangler (see env.ts).
      env: env as unknown as ProductsBindings,
      now: controller.scheduledTime,
      defer: (work) => ctx.waitUntil(work),
    }),
  );
  log("info", { worker: "products", cron: controller.cron, msg: "expired reservations", expired });
}
