import { OpenAPIHono } from "@hono/zod-openapi";
import { MAX_BODY_BYTES, REQUEST_ID_HEADER, TRACEPARENT_HEADER } from "@shop/contracts";
// Inert in production builds; the test/bench builds alias it to the armed harness (ADR 0015).
import { harnessRoutes, useHarness } from "@shop/runtime/harness";
import type { Env as HonoEnv, MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { contextStorage } from "hono/context-storage";
import { HTTPException } from "hono/http-exception";
import { nextTraceparent, requestIdFrom, type SharedVariables } from "./context";
import { type AnyDomainError, DomainError } from "./domain-errors";
import { AppError, problemResponse, validationError } from "./errors";
import { MethodTable, methodNotAllowed, personalResponses } from "./http-rules";
import { log } from "./log";
import { serviceContext } from "./service-context";

export type AppEnv<B extends object = object, V extends object = object> = {
  Bindings: B;
  Variables: SharedVariables & V;
};

export type AppOptions<B extends object = object> = {
  /** Paths whose body is not JSON (e.g. a signed webhook read raw). */
  rawBodyPaths?: (string | RegExp)[];
  /**
   * Routes that take a raw upload (not JSON) larger than the usual limit: `method` and `path`
   * matching, the body may be up to `maxBytes` and of any type (the route checks both itself).
   */
  uploads?: { method: string; path: RegExp; maxBytes: number }[];
  /** Register `GET /health` answering for this worker alone (default true). */
  health?: boolean;
  /** Serve this worker's OpenAPI 3.1 document at `/openapi.json` (the gateway merges them). */
  openapi?: { title: string; description?: string };
  /**
   * Build a `ServiceContext` (`c.var.ctx`) for every request, with `db` made from the
   * bindings by this function (drizzle over the worker's D1). See service-context.ts.
   */
  serviceContext?: (env: B) => unknown;
};

/**
 * The one mapping from a domain outcome to HTTP (ADR 0021): status, problem code,
 * headers and extension members. Services throw domain errors and know none of this.
 */
function domainProblem(err: AnyDomainError, requestId: string | undefined): Response {
  switch (err.kind) {
    case "not_found":
      return problemResponse(404, "not_found", err.message, requestId, err.named?.errors);
    case "unprocessable":
      return problemResponse(422, "unprocessable", err.message, requestId, err.errors);
    case "invalid":
      return problemResponse(400, err.refusal?.code ?? "validation_failed", err.message, requestId, err.errors);
    case "conflict":
      return problemResponse(409, err.code, err.message, requestId, err.errors);
    case "insufficient_stock":
      return problemResponse(409, "insufficient_stock", err.message, requestId, err.errors, undefined, {
        lines: err.lines,
      });
    case "forbidden":
      return problemResponse(403, "forbidden", err.message, requestId);
    case "unauthenticated":
      return problemResponse(401, "unauthorized", err.message, requestId, undefined, {
        "www-authenticate": 'Bearer realm="shop"',
      });
    case "precondition_failed":
      return problemResponse(412, "precondition_failed", err.message, requestId);
    case "rate_limited":
      return problemResponse(429, "rate_limited", err.message, requestId, undefined, {
        "retry-after": String(err.retryAfterSeconds),
      });
    case "unavailable":
      return problemResponse(503, "service_unavailable", err.message, requestId, undefined, {
        "retry-after": String(err.retryAfterSeconds),
      });
  }
}

const BODY_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * The Hono app every worker starts from: request id and traceparent, one JSON log
 * line per request, 1 MB body limit (413), JSON-only bodies (415), zod failures →
 * 400 naming the fields, and every error → problem+json. Never a stack trace.
 */
export function createApp<E extends HonoEnv>(worker: string, options: AppOptions<E["Bindings"] & object> = {}) {
  const app = new OpenAPIHono<E>({
    defaultHook: (result) => {
      if (!result.success) throw validationError(result.error, result.target === "json" ? "body" : result.target);
    },
  });

  // Lines logged while a request is handled carry its requestId and traceparent (see log.ts).
  app.use("*", contextStorage());
  app.use("*", async (c, next) => {
    const started = Date.now();
    const requestId = requestIdFrom(c.req.header(REQUEST_ID_HEADER));
    const traceparent = nextTraceparent(c.req.header(TRACEPARENT_HEADER));
    c.set("requestId" as never, requestId as never);
    c.set("traceparent" as never, traceparent as never);
    await next();
    c.res.headers.set(REQUEST_ID_HEADER, requestId);
    // Set by the armed harness only (its D1 counter); absent, the field is left out.
    const trips = c.get("d1Trips" as never) as { count: number } | undefined;
    log(c.res.status >= 500 ? "error" : "info", {
      worker,
      requestId,
      traceparent,
      method: c.req.method,
      route: c.req.routePath,
      path: c.req.path,
      status: c.res.status,
      d1RoundTrips: trips?.count,
      durationMs: Date.now() - started,
    });
  });

  // Test/bench builds: D1 counting, Server-Timing, whole-worker faults. Production: nothing.
  useHarness(app, worker);

  // After the harness, so the db wraps the metered D1; before routes, whose handlers read `c.var.ctx`.
  if (options.serviceContext) app.use("*", serviceContext(options.serviceContext) as MiddlewareHandler);

  // Personal answers are never stored by a cache (see http-rules.ts).
  app.use("*", personalResponses);

  const limitOf = (maxSize: number) =>
    bodyLimit({
      maxSize,
      onError: () => {
        throw new AppError(413, "payload_too_large", `Request bodies are limited to ${maxSize} bytes.`);
      },
    });
  const defaultLimit = limitOf(MAX_BODY_BYTES);
  const uploads = (options.uploads ?? []).map((u) => ({ ...u, limit: limitOf(u.maxBytes) }));
  const uploadOf = (method: string, path: string) => uploads.find((u) => u.method === method && u.path.test(path));
  app.use("*", (c, next) => (uploadOf(c.req.method, c.req.path)?.limit ?? defaultLimit)(c, next));

  app.use("*", async (c, next) => {
    if (
      BODY_METHODS.has(c.req.method) &&
      !uploadOf(c.req.method, c.req.path) &&
      !options.rawBodyPaths?.some((p) => (typeof p === "string" ? p === c.req.path : p.test(c.req.path)))
    ) {
      const length = c.req.header("content-length");
      const hasBody = (length !== undefined && length !== "0") || c.req.header("transfer-encoding") !== undefined;
      const type = c.req.header("content-type") ?? "";
      if (hasBody && !/^application\/([a-z0-9.+-]+\+)?json\s*(;|$)/i.test(type)) {
        throw new AppError(415, "unsupported_media_type", "Send the body as application/json.");
      }
    }
    await next();
  });

  app.onError((err, c) => {
    const requestId = c.get("requestId" as never) as string | undefined;
    if (err instanceof DomainError) return domainProblem(err as AnyDomainError, requestId);
    if (err instanceof AppError) {
      return problemResponse(err.status, err.code, err.detail, requestId, err.errors, err.headers, err.extensions);
    }
    if (err instanceof HTTPException) {
      const status = err.status;
      const code = status === 413 ? "payload_too_large" : status === 401 ? "unauthorized" : "bad_request";
      const detail = err.message.includes("JSON") ? "The body is not valid JSON." : err.message || undefined;
      return problemResponse(status, status >= 500 ? "internal" : code, detail, requestId);
    }
    log("error", { worker, requestId, msg: "unhandled error", error: String(err), stack: (err as Error)?.stack });
    return problemResponse(500, "internal", "Something went wrong on our side.", requestId);
  });

  // A known path asked with another method is a 405 naming the methods it has (Allow).
  const methods = new MethodTable(app);
  app.notFound(
    (c) =>
      methodNotAllowed(methods, c) ??
      problemResponse(404, "not_found", `No route for ${c.req.method} ${c.req.path}.`, c.get("requestId" as never)),
  );

  if (options.health !== false) app.get("/health", (c) => c.json({ status: "ok", worker }));

  if (options.openapi) {
    app.openAPIRegistry.registerComponent("securitySchemes", "bearer", {
      type: "http",
      scheme: "bearer",
      bearerFormat: "JWT",
    });
    app.doc31("/openapi.json", { openapi: "3.1.0", info: { version: "1.0.0", ...options.openapi } });
  }

  // Test/bench builds: GET /__meters and /__faults. Production: no such routes (404).
  harnessRoutes(app, worker);

  return app;
}
