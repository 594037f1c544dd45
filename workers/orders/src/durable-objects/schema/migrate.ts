import { drizzle } from "drizzle-orm/durable-sqlite";
import { migrate } from "drizzle-orm/durable-sqlite/migrator";

/** What drizzle-kit generates for one Durable Object class (`<out>/migrations.js`). */
export type ObjectMigrations = {
  journal: { entries: { idx: number; when: number; tag: string; breakpoints: boolean }[] };
  migrations: Record<string, string>;
};

/**
 * One Durable Object class's schema history (ADR 0020). `marker`: a table every object that has
 * storage at all has (its presence means "this object has been written"). `adoptUnversioned`:
 * brings an object written before its schema was migrated by drizzle (tables made by hand-written
 * `CREATE TABLE IF NOT EXISTS`) to migration 0000, which is exactly the schema of that code.
 */
export type ObjectSchema = {
  migrations: ObjectMigrations;
  marker: string;
  adoptUnversioned?: (sql: SqlStorage) => void;
};

const MIGRATIONS_TABLE = "__drizzle_migrations";

export function hasTable(sql: SqlStorage, name: string): boolean {
  return sql.exec("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", name).toArray().length > 0;
}

/** Whether this object has any storage yet (its marker table). */
export function hasStorage(storage: DurableObjectStorage, schema: ObjectSchema): boolean {
  return hasTable(storage.sql, schema.marker);
}

/**
 * Runs every pending migration (drizzle's `migrate`; each object records what it ran in
 * `__drizzle_migrations`). An object from before drizzle managed its schema is first marked as
 * being at migration 0000, after `adoptUnversioned` added what older code may lack.
 *
 * Synchronous, so it can be part of the caller's `transactionSync` (a cart's first write creates
 * its tables in the same transaction). drizzle's durable-sqlite migrator does all its work in one
 * `transactionSync` before it returns, though it returns a promise (whose rejection carries only
 * drizzle's "Rollback"): whether every migration ran is checked here, from the table it keeps.
 */
export function migrateObject(storage: DurableObjectStorage, schema: ObjectSchema): void {
  const sql = storage.sql;
  const entries = schema.migrations.journal.entries;
  const first = entries[0];
  const last = entries[entries.length - 1];
  if (!first || !last) throw new Error("a Durable Object schema needs its first migration");
  if (!hasTable(sql, MIGRATIONS_TABLE) && hasTable(sql, schema.marker)) {
    storage.transactionSync(() => {
      schema.adoptUnversioned?.(sql);
      // The table as drizzle's migrator creates it.
      sql.exec(
        `CREATE TABLE IF NOT EXISTS ${MIGRATIONS_TABLE} (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at numeric)`,
      );
      sql.exec(`INSERT INTO ${MIGRATIONS_TABLE} (hash, created_at) VALUES ('', ?)`, first.when);
    });
  }
  migrate(drizzle(storage), schema.migrations).catch(() => {
    // Reported below, synchronously.
  });
  const ran = hasTable(sql, MIGRATIONS_TABLE)
    ? sql.exec<{ at: number | null }>(`SELECT max(created_at) AS at FROM ${MIGRATIONS_TABLE}`).one().at
    : null;
  if (Number(ran) < last.when) {
    throw new Error(`Durable Object migrations stopped before ${last.tag} (${schema.marker}); see the .sql steps`);
  }
}
