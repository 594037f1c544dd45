/**
 * Counts D1 round trips made while serving one request: every `first/all/run/raw` of a
 * prepared statement, every `batch` (one trip, however many statements) and every `exec`.
 * The app factory wraps `env.DB` with it and reports the count in `Server-Timing`, so the
 * "one round trip per catalog page" kind of promise is visible on every response.
 */
export type RoundTripCounter = { count: number };

const ORIGINAL = Symbol("d1-original");
const EXECUTORS = new Set(["first", "all", "run", "raw"]);

type Stmt = D1PreparedStatement & { [ORIGINAL]?: D1PreparedStatement };

function countStatement(stmt: D1PreparedStatement, counter: RoundTripCounter): D1PreparedStatement {
  return new Proxy(stmt, {
    get(target, prop) {
      if (prop === ORIGINAL) return target;
      const value = Reflect.get(target, prop, target);
      if (typeof value !== "function") return value;
      if (prop === "bind") return (...args: unknown[]) => countStatement(value.apply(target, args), counter);
      if (typeof prop === "string" && EXECUTORS.has(prop)) {
        return (...args: unknown[]) => {
          counter.count++;
          return value.apply(target, args);
        };
      }
      return value.bind(target);
    },
  });
}

export function countRoundTrips(db: D1Database, counter: RoundTripCounter): D1Database {
  return new Proxy(db, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target);
      if (prop === "prepare") return (sql: string) => countStatement(target.prepare(sql), counter);
      if (prop === "batch") {
        return (statements: Stmt[]) => {
          counter.count++;
          return target.batch(statements.map((s) => s[ORIGINAL] ?? s));
        };
      }
      if (prop === "exec") {
        return (sql: string) => {
          counter.count++;
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
