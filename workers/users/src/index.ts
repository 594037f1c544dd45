import { app } from "./app";
import type { UsersBindings } from "./env";
import { scheduled } from "./scheduled";

export { UsersRpc } from "./rpc";

// Workers require a default export: the HTTP handler (the Hono app) and the cron handler.
export default {
  fetch: app.fetch,
  scheduled,
} satisfies ExportedHandler<UsersBindings>;
