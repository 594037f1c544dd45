import type { CallMeta, Principal } from "@shop/contracts";
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "./app";
import { nextTraceparent, requestIdFrom } from "./context";
import { Unauthenticated } from "./domain-errors";

/** Who asked and when: passed on to the next hop, logged, and the verb's one clock. */
export type RequestMeta = { requestId: string; traceparent: string; now: number };

/**
 * Everything a service verb gets besides its input (ADR 0021): every verb is
 * `(ctx, input)`, knows no HTTP and never sees Hono's `Context`.
 */
export type ServiceContext<Db = unknown, Bindings = unknown> = {
  /** drizzle over the worker's own D1. */
  db: Db;
  /** The worker's bindings (queues, neighbours' RPC, vars). */
  env: Bindings;
  meta: RequestMeta;
  /** The authenticated caller, or null (anonymous requests, internal RPC, cron). */
  principal: Principal | null;
  /** Work that may finish after the answer is sent (`waitUntil`). */
  defer(work: Promise<unknown>): void;
};

/** Hono variables of a worker whose routes hand `c.var.ctx` to services. */
export type ServiceVariables<Db, Bindings> = { ctx: ServiceContext<Db, Bindings> };

/** The Hono env of such a worker: its bindings, the shared variables and `ctx`. */
export type ServiceEnv<Bindings extends object, Db> = AppEnv<Bindings, ServiceVariables<Db, Bindings>>;

/**
 * Builds the request's `ServiceContext` as `c.var.ctx`. `createApp({ serviceContext })`
 * installs it after the harness (so a metered D1 is what `makeDb` wraps). The principal is
 * read when a service asks, because route middleware authenticates after this runs.
 */
export function serviceContext<B extends object, Db>(makeDb: (env: B) => Db): MiddlewareHandler<ServiceEnv<B, Db>> {
  return async (c, next) => {
    let db: Db | undefined;
    const ctx: ServiceContext<Db, B> = {
      // Made on first use: /health, /openapi.json and 404s never build a client.
      get db() {
        db ??= makeDb(c.env);
        return db;
      },
      env: c.env,
      meta: { requestId: c.get("requestId"), traceparent: c.get("traceparent"), now: Date.now() },
      get principal() {
        return c.get("principal") ?? null;
      },
      defer: (work) => c.executionCtx.waitUntil(work),
    };
    c.set("ctx", ctx);
    await next();
  };
}

/**
 * A `ServiceContext` for entry points outside the Hono app (RPC entrypoints, cron, queue
 * consumers): the caller's ids continue when given, the principal is null (internal caller).
 */
export function serviceContextFor<B, Db>(opts: {
  db: Db;
  env: B;
  defer: (work: Promise<unknown>) => void;
  meta?: CallMeta;
  now?: number;
  principal?: Principal | null;
}): ServiceContext<Db, B> {
  return {
    db: opts.db,
    env: opts.env,
    meta: {
      requestId: requestIdFrom(opts.meta?.requestId),
      traceparent: nextTraceparent(opts.meta?.traceparent),
      now: opts.now ?? Date.now(),
    },
    principal: opts.principal ?? null,
    defer: opts.defer,
  };
}

/** The caller a verb acts for; a verb that needs one refuses an anonymous context. */
export function callerOf(ctx: Pick<ServiceContext, "principal">): Principal {
  if (!ctx.principal) throw new Unauthenticated();
  return ctx.principal;
}
