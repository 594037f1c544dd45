import { IDEMPOTENCY_KEY_TTL_SECONDS } from "@shop/contracts";
import { newId, sha256Hex } from "@shop/runtime";
import { and, eq, lt } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { idempotencyKeys } from "../../db/schema";

export type Claim = { kind: "owner" | "existing"; orderId: string } | { kind: "mismatch" };

/** Stable JSON: keys sorted at every level, so the same body always has the same fingerprint. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/**
 * Claims `(user, key)` for one order id. The insert is decided by the primary key inside one
 * D1 batch (a transaction), so among any number of concurrent requests exactly one order id
 * wins and every request learns which; a key older than 24 h is forgotten first.
 */
export async function claimIdempotencyKey(d1: D1Database, userId: string, key: string, body: unknown): Promise<Claim> {
  const db = drizzle(d1);
  const fingerprint = await sha256Hex(canonical(body));
  const orderId = newId("order");
  const now = Date.now();
  const where = and(eq(idempotencyKeys.userId, userId), eq(idempotencyKeys.key, key));
  const [, , rows] = await db.batch([
    db
      .delete(idempotencyKeys)
      .where(and(where, lt(idempotencyKeys.createdAt, now - IDEMPOTENCY_KEY_TTL_SECONDS * 1000))),
    db.insert(idempotencyKeys).values({ userId, key, fingerprint, orderId, createdAt: now }).onConflictDoNothing(),
    db.select().from(idempotencyKeys).where(where),
  ]);
  const row = rows[0];
  if (!row) throw new Error("idempotency key row vanished");
  if (row.fingerprint !== fingerprint) return { kind: "mismatch" };
  return { kind: row.orderId === orderId ? "owner" : "existing", orderId: row.orderId };
}

/** Forgets keys older than 24 h (hourly cron); claims also ignore them on their own. */
export async function forgetOldIdempotencyKeys(d1: D1Database, now = Date.now()): Promise<void> {
  await drizzle(d1)
    .delete(idempotencyKeys)
    .where(lt(idempotencyKeys.createdAt, now - IDEMPOTENCY_KEY_TTL_SECONDS * 1000));
}
