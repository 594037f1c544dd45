import type { SettledPaymentPage, SettledSinceInput } from "@shop/contracts";
import { decodeCursor, keysetPage } from "@shop/runtime";
import { and, asc, eq, gt, gte, inArray, or } from "drizzle-orm";
import { z } from "zod";
import { payments } from "../../db/schema";
import type { PaymentsContext } from "../../env";
import { toSummary } from "./summary";

/** Statuses in which money was taken (a late success is `succeeded` with `received_after_close`). */
const SETTLED = ["succeeded", "partially_refunded", "refunded"] as const;
const MAX_LIMIT = 200;

const Input = z.object({
  since: z.iso.datetime(),
  cursor: z.string().max(600).nullable().optional(),
  limit: z.int().min(1).max(MAX_LIMIT).default(100),
});

/**
 * The feed orders' reconciliation reads: payments that took money, whose row changed at or after
 * `since`, oldest change first, keyset-paged on (updated_at, id). A payment that changes while
 * someone pages moves to a later key, never an earlier one, so it is seen again rather than
 * skipped. One D1 round trip (index `payments_updated_idx`).
 */
export async function settledSince(ctx: PaymentsContext, raw: SettledSinceInput): Promise<SettledPaymentPage> {
  const parsed = Input.safeParse(raw);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => i.path.join(".") || "input").join(", ");
    throw new TypeError(`payments.settledSince: invalid ${fields}`);
  }
  const { since, cursor, limit } = parsed.data;
  const conditions = [inArray(payments.status, [...SETTLED]), gte(payments.updatedAt, since)];
  if (cursor) {
    const [updatedAt, id] = decodeCursor(cursor);
    if (typeof updatedAt !== "string" || typeof id !== "string") throw new TypeError("payments.settledSince: cursor");
    const after = or(gt(payments.updatedAt, updatedAt), and(eq(payments.updatedAt, updatedAt), gt(payments.id, id)));
    if (after) conditions.push(after);
  }
  const rows = await ctx.db
    .select()
    .from(payments)
    .where(and(...conditions))
    .orderBy(asc(payments.updatedAt), asc(payments.id))
    .limit(limit + 1);
  const { rows: page, nextCursor } = keysetPage(rows, limit, (r) => [r.updatedAt, r.id]);
  return { items: page.map((row) => ({ ...toSummary(row), updatedAt: row.updatedAt })), nextCursor };
}
