import { DurableObject } from "cloudflare:workers";
import { ORDER_NUMBER_BASE, ORDER_NUMBER_SHARDS } from "../services/order-numbers/allocate";
import migrations from "./migrations/order-number/migrations.js";
import { migrateObject, type ObjectSchema } from "./schema/migrate";

/** The allocator's schema (schema/order-number.ts), migrated before the first call (ADR 0020). */
export const ORDER_NUMBER_SCHEMA: ObjectSchema = { migrations, marker: "allocator" };

/**
 * One shard of the order-number allocator (ADR 0013). Shard `k` of `N` hands out
 * `BASE + seq * N + k` from a counter in its own storage, so shards never collide and no single
 * object takes every checkout. Numbers are unique and increase per shard; a number allocated for
 * a placement that never stored it is simply skipped (numbers are not gapless).
 */
export class OrderNumberDO extends DurableObject<Env> {
  private readonly sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    ctx.blockConcurrencyWhile(async () => migrateObject(ctx.storage, ORDER_NUMBER_SCHEMA));
  }

  /** The next number of shard `shard`; the shard index is fixed by the first call. */
  async next(shard: number): Promise<number> {
    if (!Number.isInteger(shard) || shard < 0 || shard >= ORDER_NUMBER_SHARDS) {
      throw new RangeError(`order number shard must be 0..${ORDER_NUMBER_SHARDS - 1}`);
    }
    this.sql.exec("INSERT INTO allocator (id, shard, seq) VALUES (1, ?, 0) ON CONFLICT (id) DO NOTHING", shard);
    const row = this.sql
      .exec<{ shard: number; seq: number }>("UPDATE allocator SET seq = seq + 1 WHERE id = 1 RETURNING shard, seq")
      .one();
    if (row.shard !== shard) throw new Error(`allocator shard ${row.shard} was asked for shard ${shard}`);
    // seq starts at 1 here; the first number of shard k is BASE + k.
    return ORDER_NUMBER_BASE + (row.seq - 1) * ORDER_NUMBER_SHARDS + shard;
  }
}
