import { drizzle } from "drizzle-orm/d1";
import * as schema from "./schema";

export type Db = ReturnType<typeof database>;
/** The former name; `Db` is the one name in every worker (ADR 0021). Kept for the dead-letter modules until they move. */
export type Database = Db;

export function database(d1: D1Database) {
  return drizzle(d1, { schema });
}
