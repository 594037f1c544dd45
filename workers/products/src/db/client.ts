import { type SQL, type SQLWrapper, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";

export type Db = ReturnType<typeof database>;

/**
 * drizzle over the worker's D1, made per request. Without `{ schema }`: only the relational
 * query API (`db.query.*`, unused here) needs it, and with it every call rebuilt the relational
 * config of every table (`extractTablesRelationalConfig`) — CPU on each request for nothing.
 */
export function database(d1: D1Database) {
  return drizzle(d1);
}

/**
 * `column IN (values)` bound as ONE parameter (a JSON array read by `json_each`): D1 allows
 * 100 bound parameters per statement, and a batch repeats the list in several statements.
 */
export function inJson(column: SQLWrapper, values: readonly (string | number)[]): SQL {
  return sql`${column} IN (SELECT value FROM json_each(${JSON.stringify(values)}))`;
}

/**
 * The text a D1 failure carries, causes included: drizzle wraps a failed single query in
 * `DrizzleQueryError` ("Failed query: …") whose cause names the constraint or the trigger.
 */
export function failureText(err: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = err; e !== undefined && e !== null && parts.length < 5; e = (e as { cause?: unknown }).cause) {
    parts.push(String(e));
  }
  return parts.join("\n");
}
