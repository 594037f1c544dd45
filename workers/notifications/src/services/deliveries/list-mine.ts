import type { Delivery, NotificationType } from "@shop/contracts";
import { beforeIdCursor, callerOf, keysetPage } from "@shop/runtime";
import { and, desc, eq } from "drizzle-orm";
import { deliveries } from "../../db/schema";
import type { NotificationsContext } from "../../env";

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** The caller's delivery log, newest first, keyset-paged on the (time-sortable) delivery id. */
export async function listMyDeliveries(
  ctx: NotificationsContext,
  page: { limit: number; cursor?: string | undefined },
): Promise<{ items: Delivery[]; nextCursor: string | null }> {
  const { userId } = callerOf(ctx);
  const rows = await ctx.db
    .select()
    .from(deliveries)
    .where(and(eq(deliveries.userId, userId), beforeIdCursor(deliveries.id, page.cursor)))
    .orderBy(desc(deliveries.id))
    .limit(page.limit + 1);
  const { rows: found, nextCursor } = keysetPage(rows, page.limit, (r) => [r.id]);
  const items = found.map((r) => ({
    id: r.id,
    messageId: r.messageId,
    type: r.type as NotificationType,
    channel: r.channel,
    status: r.status,
    subject: r.subject,
    sentAt: iso(r.sentAt),
    createdAt: new Date(r.createdAt).toISOString(),
  }));
  return { items, nextCursor };
}
