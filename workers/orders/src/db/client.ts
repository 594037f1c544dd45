import { drizzle } from "drizzle-orm/d1";
import * as schema from "./schema";

/** drizzle over the worker's D1 (the order history projection, idempotency keys, reports). */
export function database(d1: D1Database) {
  return drizzle(d1, { schema });
}

export type Db = ReturnType<typeof database>;
