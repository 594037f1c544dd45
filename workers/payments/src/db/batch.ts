import { getTableColumns, SQL } from "drizzle-orm";
import { SQLiteAsyncDialect, type SQLiteTable } from "drizzle-orm/sqlite-core";
import type { Db } from "./client";

const dialect = new SQLiteAsyncDialect();

/** A drizzle query builder or a raw `sql` fragment: anything that renders to one statement. */
export type Statement = SQL | { toSQL(): { sql: string; params: unknown[] } };

function prepare(db: Db, q: Statement): D1PreparedStatement {
  const { sql, params } = q instanceof SQL ? dialect.sqlToQuery(q) : q.toSQL();
  return db.$client.prepare(sql).bind(...params);
}

/**
 * Runs the statements as one D1 batch: a single transaction, all or nothing. (drizzle's own
 * `batch` cannot carry raw `sql` statements with parameters, which the conditional writes need.)
 */
export async function atomically(db: Db, statements: readonly Statement[]): Promise<D1Result[]> {
  return db.$client.batch(statements.map((q) => prepare(db, q)));
}

/**
 * The rows a drizzle `select()` of `table` returned inside an `atomically` batch, keyed and
 * typed as drizzle would return them (D1 answers with column names).
 */
export function rowsOf<T extends SQLiteTable>(table: T, result: D1Result | undefined): T["$inferSelect"][] {
  const columns = Object.entries(getTableColumns(table));
  return ((result?.results ?? []) as Record<string, unknown>[]).map(
    (raw) =>
      Object.fromEntries(
        columns.map(([key, c]) => {
          const value = raw[c.name];
          return [key, value === null || value === undefined ? null : c.mapFromDriverValue(value)];
        }),
      ) as T["$inferSelect"],
  );
}
