import type { Delivery, NotificationType } from "@shop/contracts";
import { decodeCursor, encodeCursor } from "@shop/runtime";
import { and, desc, eq, lt } from "drizzle-orm";
import type { Database } from "../../db/client";
import { deliveries } from "../../db/schema";

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** The caller's delivery log, newest first, keyset-paged on the (time-sortable) delivery id. */
export async function listMyDeliveries(
  db: Database,
  userId: string,
  page: { limit: number; cursor?: string | undefined },
): Promise<{ items: Delivery[]; nextCursor: string | null }> {
  const after = page.cursor ? decodeCursor(page.cursor)[0] : undefined;
  if (page.cursor && typeof after !== "string") decodeCursor("!");
  const rows = await db
    .select()
    .from(deliveries)
    .where(and(eq(deliveries.userId, userId), after ? lt(deliveries.id, after as string) : undefined))
    .orderBy(desc(deliveries.id))
    .limit(page.limit + 1);
  const items = rows.slice(0, page.limit).map((r) => ({
    id: r.id,
    messageId: r.messageId,
    type: r.type as NotificationType,
    channel: r.channel,
    status: r.status,
    subject: r.subject,
    sentAt: iso(r.sentAt),
    createdAt: new Date(r.createdAt).toISOString(),
  }));
  const last = items.at(-1);
  return { items, nextCursor: rows.length > page.limit && last ? encodeCursor([last.id]) : null };
}
