/**
 * Counts D1 round trips made while serving one request: every `first/all/run/raw` of a
 * prepared statement, every `batch` (one trip, however many statements) and every `exec`.
 * The armed harness (./armed.ts, never in a production build) wraps `env.DB` with it and
 * reports the count in `Server-Timing`, so tests and the benchmark can hold the "one round
 * trip per catalog page" kind of promise.
 */
export type RoundTripCounter = { count: number };

/**
 * Every round trip this isolate made, whatever the entry point (HTTP, RPC, Durable Object,
 * queue): the benchmark reads it over `GET /__meters` to cost a checkout across all workers.
 */
const ISOLATE: RoundTripCounter = { count: 0 };

export function isolateRoundTrips(): number {
  return ISOLATE.count;
}

const ORIGINAL = Symbol("d1-original");
const METERED = Symbol("d1-metered");
const EXECUTORS = new Set(["first", "all", "run", "raw"]);

type Stmt = D1PreparedStatement & { [ORIGINAL]?: D1PreparedStatement };

function countStatement(stmt: D1PreparedStatement, counter: RoundTripCounter | null): D1PreparedStatement {
  return new Proxy(stmt, {
    get(target, prop) {
      if (prop === ORIGINAL) return target;
      const value = Reflect.get(target, prop, target);
      if (typeof value !== "function") return value;
      if (prop === "bind") return (...args: unknown[]) => countStatement(value.apply(target, args), counter);
      if (typeof prop === "string" && EXECUTORS.has(prop)) {
        return (...args: unknown[]) => {
          bump(counter);
          return value.apply(target, args);
        };
      }
      return value.bind(target);
    },
  });
}

function bump(counter: RoundTripCounter | null): void {
  ISOLATE.count++;
  if (counter) counter.count++;
}

/** `db` counting each round trip into `counter` (null: into the isolate's total only). */
export function countRoundTrips(db: D1Database, counter: RoundTripCounter | null): D1Database {
  return new Proxy(db, {
    get(target, prop) {
      if (prop === METERED) return true;
      const value = Reflect.get(target, prop, target);
      if (prop === "prepare") return (sql: string) => countStatement(target.prepare(sql), counter);
      if (prop === "batch") {
        return (statements: Stmt[]) => {
          bump(counter);
          return target.batch(statements.map((s) => s[ORIGINAL] ?? s));
        };
      }
      if (prop === "exec") {
        return (sql: string) => {
          bump(counter);
          return target.exec(sql);
        };
      }
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

export function isD1(value: unknown): value is D1Database {
  return typeof value === "object" && value !== null && "prepare" in value && "batch" in value && "exec" in value;
}

/**
 * The same bindings with `DB` counted into the isolate's total: for entry points outside the
 * app factory (RPC entrypoints, Durable Objects, queue consumers), whose env it replaces.
 */
export function meterD1<E>(env: E): E {
  const db = (env as { DB?: unknown } | undefined)?.DB;
  if (!isD1(db) || (db as { [METERED]?: true })[METERED]) return env;
  const metered = countRoundTrips(db, null);
  // A view of the same object: every other binding (own or inherited) reads through, and a
  // spread copy still carries them.
  return new Proxy(env as object, {
    get: (target, prop, receiver) => (prop === "DB" ? metered : Reflect.get(target, prop, receiver)),
  }) as E;
}
