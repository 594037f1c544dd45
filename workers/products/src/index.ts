import { app } from "./app";
import { scheduled } from "./scheduled";

export { ProductsRpc } from "./rpc";

// Workers require a default export: the HTTP handler (the Hono app) and the cron handler.
export default {
  fetch: app.fetch,
  scheduled,
} satisfies ExportedHandler<Env>;
