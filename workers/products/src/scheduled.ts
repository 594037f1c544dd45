import { log } from "@shop/runtime";
import { expireDueReservations } from "./services/reservations/expire-due";

/** Cron (every minute): gives back stock held by reservations whose time is up. */
export async function scheduled(controller: ScheduledController, env: Env, _ctx: ExecutionContext): Promise<void> {
  const expired = await expireDueReservations(env.DB, controller.scheduledTime);
  log("info", { worker: "products", cron: controller.cron, msg: "expired reservations", expired });
}
