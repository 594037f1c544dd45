/**
 * Geography for the benchmark (armed harness only, ADR 0015): makes a local D1
 * round trip or a Durable Object call cost what it would for a shopper far from where the
 * data lives. Locally every binding answers in microseconds; in production a worker runs in
 * the colo nearest the shopper, a D1 database has one primary (read replicas only through the
 * Sessions API) and a Durable Object lives where it was created.
 *
 * Placement (a geography's `placed` workers; Smart Placement in production, ADR 0038): a placed
 * worker runs next to the D1 primaries, so its own D1 trips and Durable Object calls cost nothing
 * extra; a worker it calls over RPC runs on its machine (RPC is not placed), so that callee's
 * trips cost nothing extra either (`meterD1(env, { invokedBy: "rpc" })` in the RPC entrypoints
 * that only placed workers call); and a fetch over a service binding to a placed worker, from
 * a worker that is not placed, crosses to the placed colo and back: one far round trip
 * (`placed-hop`). An isolate learns its own worker's name when the geography is set over
 * `/__geo` (createApp's name).
 *
 * The delays are not chosen here: the benchmark sends them (`PUT /__geo`, numbers and sources
 * in `bench/geo.mjs`). Until it does, every delay is zero, so tests and the battery, which run
 * the same armed builds, are not slowed. Every delayed trip is logged with its start and end
 * (`GET /__geo`), so the benchmark measures how many far trips sit one after another on a
 * request's critical path instead of inferring it.
 */

/** What one geography costs, per round trip. */
export type Geography = {
  name: string;
  /** A D1 round trip that reaches the primary (every query outside a session, every write). */
  primaryMs: number;
  /** A read served by a D1 read replica (a session not constrained to the primary). */
  replicaMs: number;
  /** A call to a stub of a Durable Object namespace listed in `farDurableObjects`. */
  farDurableObjectMs: number;
  /** Binding names of the Durable Object namespaces whose objects live far from the shopper. */
  farDurableObjects: string[];
  /**
   * Workers (createApp names) that run next to the D1 primaries, whoever the shopper is, and so
   * reach them, their own Durable Objects and ORDER_NUMBERS at no extra cost. Reached from a
   * worker that is not placed by a fetch over a service binding whose name is the worker's
   * (`ORDERS` → orders): one round trip of `primaryMs` (the placed colo is the primaries' region).
   */
  placed?: string[];
};

/** How the bindings are reached: by default as the isolate's own worker does. */
export type GeographyOptions = {
  /**
   * `rpc`: the bindings of an RPC entrypoint. RPC is not placed: the entrypoint runs on its
   * caller's machine. Used only where every caller is a placed worker, so as soon as a geography
   * places any worker, this callee's trips are near.
   */
  invokedBy?: "rpc";
};

export type TripKind = "d1-primary" | "d1-replica" | "durable-object" | "placed-hop";
/** One delayed trip, in this isolate's clock (ms since the epoch). */
export type Trip = { kind: TripKind; target: string; start: number; end: number };

export const NEAR: Geography = {
  name: "near",
  primaryMs: 0,
  replicaMs: 0,
  farDurableObjectMs: 0,
  farDurableObjects: [],
};

let current: Geography = NEAR;
/** This isolate's worker (createApp's name), told with the geography over `/__geo`. */
let self: string | undefined;
/** The last trips of this isolate (bounded: the benchmark reads them right after a request). */
const TRIPS: Trip[] = [];
const MAX_TRIPS = 10_000;

/** Sets the geography (and, when given, this isolate's worker name) and forgets the trips. */
export function setGeography(geo: Geography, worker?: string): void {
  current = geo;
  if (worker !== undefined) self = worker;
  TRIPS.length = 0;
}

/** This isolate's worker runs next to the D1 primaries in the current geography. */
export function placedHere(): boolean {
  return self !== undefined && (current.placed ?? []).includes(self);
}

/** Bindings reached as `options` say cost nothing extra in the current geography. */
function nearData(options: GeographyOptions): boolean {
  if (placedHere()) return true;
  return options.invokedBy === "rpc" && (current.placed ?? []).length > 0;
}

export function geography(): Geography {
  return current;
}

/** Trips that started at or after `since` (ms since the epoch). */
export function tripsSince(since: number): Trip[] {
  return TRIPS.filter((t) => t.start >= since);
}

/** Waits `ms` and logs the trip; nothing at all when `ms` is zero. */
export async function farTrip(kind: TripKind, target: string, ms: number): Promise<void> {
  if (!(ms > 0)) return;
  const start = Date.now();
  await new Promise((resolve) => setTimeout(resolve, ms));
  if (TRIPS.length >= MAX_TRIPS) TRIPS.splice(0, TRIPS.length - MAX_TRIPS + 1);
  TRIPS.push({ kind, target, start, end: Date.now() });
}

const ORIGINAL = Symbol("geo-original");
const DELAYED = Symbol("geo-delayed");
const EXECUTORS = new Set(["first", "all", "run", "raw"]);
const READ = /^\s*(select|explain|pragma)\b/i;
const WRITE = /\b(insert|update|delete|replace|create|drop|alter)\b/i;

/** A statement only reads: a replica may serve it. */
export function isRead(sql: string): boolean {
  if (READ.test(sql)) return !/^\s*pragma\s+\w+\s*=/i.test(sql);
  return /^\s*with\b/i.test(sql) && !WRITE.test(sql);
}

const READ_MARK = Symbol("geo-read");
type Stmt = D1PreparedStatement & { [ORIGINAL]?: D1PreparedStatement; [READ_MARK]?: boolean };

/** Where a round trip of the binding (or of one session of it) goes. */
type Route = (read: boolean) => { kind: TripKind; ms: number };

/** A route for bindings reached as `options` say: nothing at all when they are near the data. */
function unlessNear(route: Route, options: GeographyOptions): Route {
  return (read) => {
    const to = route(read);
    return nearData(options) ? { kind: to.kind, ms: 0 } : to;
  };
}

const toPrimary: Route = () => ({ kind: "d1-primary", ms: current.primaryMs });

function delayStatement(stmt: D1PreparedStatement, read: boolean, route: Route): D1PreparedStatement {
  return new Proxy(stmt, {
    get(target, prop) {
      if (prop === ORIGINAL) return target;
      if (prop === READ_MARK) return read;
      const value = Reflect.get(target, prop, target);
      if (typeof value !== "function") return value;
      if (prop === "bind")
        return (...args: unknown[]) => delayStatement(Reflect.apply(value, target, args), read, route);
      if (typeof prop === "string" && EXECUTORS.has(prop)) {
        return async (...args: unknown[]) => {
          const to = route(read);
          await farTrip(to.kind, "D1", to.ms);
          return Reflect.apply(value, target, args);
        };
      }
      return value.bind(target);
    },
  });
}

/** A database or a session of one: statements, batches and exec go through `route`. */
function delayQueries<T extends object>(db: T, route: Route, extra: (target: T, prop: string | symbol) => unknown) {
  return new Proxy(db, {
    get(target, prop) {
      if (prop === DELAYED) return true;
      const own = extra(target, prop);
      if (own !== undefined) return own;
      const value = Reflect.get(target, prop, target);
      if (prop === "prepare") {
        return (sql: string) => delayStatement((value as D1Database["prepare"]).call(target, sql), isRead(sql), route);
      }
      if (prop === "batch") {
        return async (statements: Stmt[]) => {
          const to = route(statements.every((s) => s[READ_MARK] === true));
          await farTrip(to.kind, "D1", to.ms);
          return (value as D1Database["batch"]).call(
            target,
            statements.map((s) => s[ORIGINAL] ?? s),
          );
        };
      }
      if (prop === "exec") {
        return async (sql: string) => {
          const to = route(false);
          await farTrip(to.kind, "D1", to.ms);
          return (value as D1Database["exec"]).call(target, sql);
        };
      }
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/**
 * A session's route (D1 read replication): writes always go to the primary; reads go to a
 * replica, except the first query of a `first-primary` session. A bookmark or
 * `first-unconstrained` lets even the first read go to a replica.
 */
export function sessionRoute(constraint: unknown): Route {
  let first = constraint === "first-primary";
  return (read) => {
    const primary = !read || first;
    first = false;
    return primary ? { kind: "d1-primary", ms: current.primaryMs } : { kind: "d1-replica", ms: current.replicaMs };
  };
}

/** `db` with every round trip delayed as the current geography says (sessions included). */
export function delayD1(db: D1Database, options: GeographyOptions = {}): D1Database {
  if ((db as { [DELAYED]?: true })[DELAYED]) return db;
  return delayQueries(db, unlessNear(toPrimary, options), (target, prop) =>
    prop === "withSession"
      ? (constraint?: string) =>
          delayQueries(target.withSession(constraint), unlessNear(sessionRoute(constraint), options), () => undefined)
      : undefined,
  );
}

/** A Durable Object stub whose every call (fetch or RPC method) first waits the far delay. */
function delayStub<T extends object>(stub: T, binding: string, options: GeographyOptions): T {
  return new Proxy(stub, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target);
      // `then` must stay undefined (a stub is not a thenable); symbols and plain values pass.
      if (typeof prop !== "string" || prop === "then" || typeof value !== "function") return value;
      if (prop === "id" || prop === "name") return value;
      return async (...args: unknown[]) => {
        await farTrip("durable-object", binding, nearData(options) ? 0 : current.farDurableObjectMs);
        return Reflect.apply(value as (...a: unknown[]) => unknown, target, args);
      };
    },
  });
}

function delayNamespace(
  ns: DurableObjectNamespace,
  binding: string,
  options: GeographyOptions,
): DurableObjectNamespace {
  return new Proxy(ns, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target);
      if (typeof value !== "function") return value;
      if (prop === "get" || prop === "getByName") {
        return (...args: unknown[]) =>
          delayStub(Reflect.apply(value as (...a: unknown[]) => object, target, args), binding, options);
      }
      return value.bind(target);
    },
  });
}

/**
 * A service binding to a placed worker, from one that is not: its `fetch` (HTTP to the callee's
 * fetch handler, which placement moves) first crosses to the placed colo, one far round trip.
 * Its RPC methods are left alone: RPC runs on the caller's machine.
 */
function hopToPlaced(service: Fetcher, binding: string): Fetcher {
  return new Proxy(service, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target);
      if (typeof value !== "function") return value;
      if (prop === "fetch") {
        return async (...args: unknown[]) => {
          await farTrip("placed-hop", binding, current.primaryMs);
          return Reflect.apply(value, target, args);
        };
      }
      return value.bind(target);
    },
  });
}

/** The worker a service binding reaches is placed, and this isolate's is not. */
function hopsToPlaced(binding: string): boolean {
  return !placedHere() && (current.placed ?? []).includes(binding.toLowerCase());
}

function isFetcher(value: object): value is Fetcher {
  return typeof (value as { fetch?: unknown }).fetch === "function";
}

function isD1Binding(value: unknown): value is D1Database {
  return typeof value === "object" && value !== null && "prepare" in value && "batch" in value && "exec" in value;
}

/**
 * The same bindings with `DB` delayed, each Durable Object namespace the current geography
 * names far (by binding name, decided at each access, so one build serves every geography)
 * delayed on every call of its stubs, and a service binding to a placed worker paying the hop
 * on `fetch`. Near the data (a placed worker, or an RPC callee of one: `options`) the delays are
 * zero. Other bindings are untouched.
 */
export function withGeography<E>(env: E, options: GeographyOptions = {}): E {
  if (typeof env !== "object" || env === null || (env as { [DELAYED]?: true })[DELAYED]) return env;
  const wrapped = new Map<string, unknown>();
  const once = (key: string, make: () => unknown) => {
    if (!wrapped.has(key)) wrapped.set(key, make());
    return wrapped.get(key);
  };
  return new Proxy(env as object, {
    get(target, prop, receiver) {
      if (prop === DELAYED) return true;
      const value = Reflect.get(target, prop, receiver);
      if (typeof prop !== "string" || typeof value !== "object" || value === null) return value;
      if (current.farDurableObjects.includes(prop))
        return once(`do:${prop}`, () => delayNamespace(value as DurableObjectNamespace, prop, options));
      if (prop === "DB" && isD1Binding(value)) return once(prop, () => delayD1(value, options));
      if (hopsToPlaced(prop) && isFetcher(value)) return once(`hop:${prop}`, () => hopToPlaced(value, prop));
      return value;
    },
  }) as E;
}
