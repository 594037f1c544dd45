import type { Channel } from "@shop/contracts";
import { newId } from "@shop/runtime";
import { and, eq, sql } from "drizzle-orm";
import { deliveries } from "../../db/schema";
import type { NotificationsContext } from "../../env";

/** A `pending` claim older than this is a crashed send and may be taken over. */
const STALE_CLAIM_MS = 120_000;

export type ClaimInput = {
  messageId: string;
  channel: Channel;
  userId: string;
  type: string;
  recipient: string;
  subject: string | null;
};

export type Claim = { claimed: true; id: string } | { claimed: false; status: "sent" | "failed" | "in_flight" };

/**
 * Claims the right to send (message, channel) once: one statement that inserts a `pending`
 * row, or takes over a retryable failure or a stale claim. No row back means someone else
 * sent it, it failed for good, or it is being sent right now. The claim is dated when the
 * delivery attempt began (`ctx.meta.now`): an attempt ends long before a claim goes stale.
 */
export async function claimDelivery(ctx: NotificationsContext, input: ClaimInput): Promise<Claim> {
  const { db } = ctx;
  const { now } = ctx.meta;
  const rows = await db
    .insert(deliveries)
    .values({
      id: newId("notification"),
      ...input,
      status: "pending",
      retryable: false,
      attempts: 1,
      claimedAt: now,
      createdAt: now,
      updatedAt: now,
    })
    .onConflictDoUpdate({
      target: [deliveries.messageId, deliveries.channel],
      set: {
        status: "pending",
        retryable: false,
        recipient: input.recipient,
        attempts: sql`${deliveries.attempts} + 1`,
        claimedAt: now,
        updatedAt: now,
      },
      setWhere: sql`(${deliveries.status} = 'failed' AND ${deliveries.retryable} = 1) OR (${deliveries.status} = 'pending' AND ${deliveries.claimedAt} < ${now - STALE_CLAIM_MS})`,
    })
    .returning({ id: deliveries.id });
  const row = rows[0];
  if (row) return { claimed: true, id: row.id };
  const existing = await db
    .select({ status: deliveries.status })
    .from(deliveries)
    .where(and(eq(deliveries.messageId, input.messageId), eq(deliveries.channel, input.channel)))
    .get();
  return { claimed: false, status: existing?.status === "pending" ? "in_flight" : (existing?.status ?? "in_flight") };
}
