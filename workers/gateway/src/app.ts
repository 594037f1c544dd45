import { AUTHENTICATE_PATH, CATALOG_VERSION_HEADER, MARKET_HEADER, MAX_IMAGE_BYTES } from "@shop/contracts";
import { createApp, RateLimited, relayFaults } from "@shop/runtime";
import { cors } from "hono/cors";
import type { GatewayEnv } from "./env";
import { clientIp, forward } from "./forward";
import { docs } from "./routes/docs";
import { health } from "./routes/health";
import { mergedOpenApi } from "./routes/openapi";
import { EXPOSED_HEADERS, securityHeaders } from "./security-headers";
import { isAuthRoute, serviceFor } from "./services";

// The 3-D Secure page's form posts are not JSON; services check their own bodies. Product
// image uploads are raw bytes up to 5 MB (products checks type and size again, ADR 0025).
export const app = createApp<GatewayEnv>("gateway", {
  health: false,
  rawBodyPaths: [AUTHENTICATE_PATH],
  uploads: [{ method: "PUT", path: /^\/products\/[^/]+\/images$/, maxBytes: MAX_IMAGE_BYTES }],
});

app.use("*", securityHeaders);
app.use(
  "*",
  cors({
    origin: (origin, c) => {
      const allowed = (c.env.CORS_ORIGINS ?? "").split(",").map((s: string) => s.trim());
      return allowed.includes(origin) ? origin : null;
    },
    allowMethods: ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
    allowHeaders: [
      "authorization",
      CATALOG_VERSION_HEADER,
      "content-type",
      "idempotency-key",
      "if-match",
      "if-none-match",
      "x-cart-id",
      MARKET_HEADER,
      "x-request-id",
    ],
    exposeHeaders: EXPOSED_HEADERS,
    maxAge: 600,
  }),
);

app.use("*", async (c, next) => {
  if (isAuthRoute(c.req.method, c.req.path) && c.env.AUTH_THROTTLE !== "off") {
    const { success } = await c.env.AUTH_LIMITER.limit({ key: `auth:${clientIp(c)}` });
    // The runtime's one mapping makes it a 429 problem with Retry-After.
    if (!success) throw new RateLimited("Too many sign-in attempts from this client; try again in a minute.", 60);
  }
  return next();
});

app.get("/openapi.json", mergedOpenApi);
app.get("/docs", docs);
app.get("/health", health);

// Test/battery builds only: reach a service's fault switches at /__faults/<service> (ADR 0015).
relayFaults(app, (name, env) => {
  const binding = serviceFor(`/${name}`);
  return binding ? env[binding] : undefined;
});

app.all("*", async (c, next) => {
  const binding = serviceFor(c.req.path);
  if (binding) return forward(c, binding);
  return next();
});

// `/` and the storefront's files are served by Workers static assets before this worker runs
// (see public/_headers for their security headers).
