import type { Env, Hono } from "hono";
import { z } from "zod";
import { validationError } from "../errors";
import { meterD1 as countD1, countRoundTrips, isD1, isolateRoundTrips, type RoundTripCounter } from "./d1-round-trips";
import { armFaults, clearFaults, FaultSpec, faultArmed, faultyQueue, injectFault, listFaults } from "./faults";
import { type GeographyOptions, geography, setGeography, tripsSince, withGeography } from "./geo";

/**
 * The armed test harness: what `@shop/runtime/harness` resolves to in the builds that tests,
 * the correctness battery and the benchmark run (wrangler's `alias`, vite's `resolve.alias`;
 * ADR 0015). Never in a production bundle: `scripts/check-production-bundles.mjs` proves it.
 * Exports exactly the names of ./inert.ts (a test checks the two have the same shape).
 */
export { faultArmed, faultyQueue, injectFault };

/**
 * Bindings for entry points outside the app factory (RPC, Durable Objects, queues): `DB`
 * counted into the isolate's round trips, and `DB` and far Durable Objects delayed as the
 * benchmark's geography says (./geo.ts; no delay unless the benchmark sets one). An RPC
 * entrypoint whose callers are all placed workers passes `{ invokedBy: "rpc" }`: it runs on its
 * caller's machine, next to the data when the geography places them.
 */
export function meterD1<E>(env: E, options?: GeographyOptions): E {
  return withGeography(countD1(env), options);
}

/** The benchmark's geography, sent whole to every worker (numbers and sources: bench/geo.mjs). */
const GeographySpec = z
  .object({
    name: z.string().max(20),
    primaryMs: z.number().min(0).max(10_000),
    replicaMs: z.number().min(0).max(10_000),
    farDurableObjectMs: z.number().min(0).max(10_000),
    farDurableObjects: z.array(z.string().max(100)).max(20),
    placed: z.array(z.string().max(100)).max(20).optional(),
  })
  .strict();

/** Context key of the request's D1 round-trip counter; createApp's request log line reports it. */
const D1_TRIPS = "d1Trips";

/**
 * Counts the request's D1 round trips (reported in `Server-Timing` and the log line) and lets
 * a whole worker fail (`<worker>.http`), never its switchboard.
 */
export function useHarness<E extends Env>(app: Hono<E>, worker: string): void {
  app.use("*", async (c, next) => {
    const started = Date.now();
    const trips: RoundTripCounter = { count: 0 };
    const env = c.env as Record<string, unknown> | undefined;
    if (env && isD1(env.DB)) {
      // Same bindings, with DB counted for this request only.
      // (Configurable, so that the geography's view below may hand out its own wrapper.)
      const DB = { value: countRoundTrips(env.DB, trips), enumerable: true, configurable: true };
      c.env = Object.create(env, { DB });
    }
    // ...and delayed, with far Durable Objects, as the benchmark's geography says (./geo.ts).
    if (env) c.env = withGeography(c.env);
    c.set(D1_TRIPS as never, trips as never);
    if (c.req.path !== "/__faults") await injectFault(c.env, `${worker}.http`);
    await next();
    c.res.headers.append("server-timing", `d1;desc="${trips.count} round trips", app;dur=${Date.now() - started}`);
  });
}

/**
 * `GET /__meters`: this isolate's D1 round trips since it started (the benchmark costs a
 * checkout across all workers with it). `/__geo`: set (PUT) the benchmark's geography, or read
 * (GET, `?since=<ms>`) the far trips this isolate waited out since then. `/__faults`: arm (PUT), list (GET) or clear (DELETE)
 * this isolate's fault switches (see faults.ts).
 */
export function harnessRoutes<E extends Env>(app: Hono<E>, worker: string): void {
  app.get("/__meters", (c) => c.json({ worker, d1RoundTrips: isolateRoundTrips() }));
  app.get("/__geo", (c) => {
    const since = Number(c.req.query("since") ?? 0);
    return c.json({ geography: geography(), trips: tripsSince(Number.isFinite(since) ? since : 0) });
  });
  app.put("/__geo", async (c) => {
    const parsed = GeographySpec.safeParse(await c.req.json());
    if (!parsed.success) throw validationError(parsed.error, "body");
    setGeography(parsed.data, worker);
    return c.json({ geography: geography() });
  });
  app.all("/__faults", async (c) => {
    if (c.req.method === "DELETE") clearFaults();
    if (c.req.method === "PUT") {
      const parsed = z.record(z.string().max(100), FaultSpec).safeParse(await c.req.json());
      if (!parsed.success) throw validationError(parsed.error, "body");
      armFaults(parsed.data);
    }
    return c.json(listFaults());
  });
}

/** The gateway reaches a service's fault switches at `/__faults/<service>`. */
export function relayFaults<E extends Env>(
  app: Hono<E>,
  serviceOf: (service: string, env: E["Bindings"]) => Fetcher | undefined,
): void {
  app.all("/__faults/:service", async (c, next) => {
    const service = serviceOf(c.req.param("service"), c.env);
    if (!service) return next();
    const init: RequestInit = { method: c.req.method, headers: { "content-type": "application/json" } };
    if (c.req.method === "PUT") init.body = await c.req.text();
    const res = await service.fetch(new Request("https://internal/__faults", init));
    return new Response(res.body, res);
  });
}
