import { app } from "./app";
import type { GatewayBindings } from "./env";
import { answerFromHotPath } from "./hot-path";

// The gateway's fetch handler: a hot catalog page answers before the app runs (ADR 0024).
export default {
  fetch(request, env, ctx) {
    return answerFromHotPath(request) ?? app.fetch(request, env, ctx);
  },
} satisfies ExportedHandler<GatewayBindings>;
