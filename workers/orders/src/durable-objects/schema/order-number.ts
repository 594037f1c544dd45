import { sql } from "drizzle-orm";
import { check, integer, sqliteTable } from "drizzle-orm/sqlite-core";

/** One allocator shard's counter (OrderNumberDO, ADR 0013); migrations in ../migrations/order-number (ADR 0020). */
export const allocator = sqliteTable(
  "allocator",
  {
    id: integer("id").primaryKey(),
    shard: integer("shard").notNull(),
    seq: integer("seq").notNull(),
  },
  (t) => [check("allocator_single_row", sql`${t.id} = 1`)],
);
