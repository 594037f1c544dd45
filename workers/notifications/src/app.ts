import { createApp, registerRoutes } from "@shop/runtime";
import { database } from "./db/client";
import type { NotificationsEnv } from "./env";
import { listDeadLettersHandler, listDeadLettersRoute } from "./routes/dead-letters/list";
import { replayDeadLetterHandler, replayDeadLetterRoute } from "./routes/dead-letters/replay";
import { listNotificationsHandler, listNotificationsRoute } from "./routes/notifications/list";
import { sendNotificationHandler, sendNotificationRoute } from "./routes/notifications/send";
import { getPreferencesHandler, getPreferencesRoute } from "./routes/preferences/get";
import { updatePreferencesHandler, updatePreferencesRoute } from "./routes/preferences/update";

export const app = createApp<NotificationsEnv>("notifications", {
  openapi: {
    title: "Shop notifications",
    description: "Delivery log, preferences, admin ad-hoc messages and dead letters.",
  },
  // Handlers hand `c.var.ctx` (drizzle over DB, bindings, request meta, principal) to their service.
  serviceContext: (env) => database(env.DB),
});

registerRoutes(app, [
  [listNotificationsRoute, listNotificationsHandler],
  [sendNotificationRoute, sendNotificationHandler],
  [getPreferencesRoute, getPreferencesHandler],
  [updatePreferencesRoute, updatePreferencesHandler],
  [listDeadLettersRoute, listDeadLettersHandler],
  [replayDeadLetterRoute, replayDeadLetterHandler],
]);
