import type { Env, Hono } from "hono";

/**
 * The test harness as every production build has it: nothing. `@shop/runtime/harness` resolves
 * here by default; the builds that tests, the battery and the benchmark run alias it to
 * ./armed.ts instead (ADR 0015), which exports the same names with the fault switches, the D1
 * meters and `Server-Timing`. Call sites stay one line at a boundary and cost a no-op here.
 */

/** A step where a failure must be survivable (armed: a fault can fail or delay it). */
export async function injectFault(_env: unknown, _point: string): Promise<void> {}

/** A test-only alternative code path is taken (armed: when `point` is armed and fires). */
export function faultArmed(_env: unknown, _point: string): boolean {
  return false;
}

/** The queue producer itself (armed: one that can deliver every message several times). */
export function faultyQueue<T>(_env: unknown, queue: Queue<T>, _point: string): Queue<T> {
  return queue;
}

/**
 * The bindings themselves (armed: `DB` counted into the isolate's D1 round trips and delayed as
 * the benchmark's geography says; `invokedBy: "rpc"` for an RPC entrypoint only placed workers call).
 */
export function meterD1<E>(env: E, _options?: { invokedBy?: "rpc" }): E {
  return env;
}

/** Per-request harness middleware (armed: D1 counting, `<worker>.http` faults, Server-Timing). */
export function useHarness<E extends Env>(_app: Hono<E>, _worker: string): void {}

/** Harness routes (armed: `GET /__meters` and `/__faults`). */
export function harnessRoutes<E extends Env>(_app: Hono<E>, _worker: string): void {}

/** The gateway's relay to a service's fault switches (armed: `/__faults/:service`). */
export function relayFaults<E extends Env>(
  _app: Hono<E>,
  _serviceOf: (service: string, env: E["Bindings"]) => Fetcher | undefined,
): void {}
