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
