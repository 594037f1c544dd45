import { and, eq, inArray } from "drizzle-orm";
import { deliveries, undeliverableAddresses } from "../../db/schema";
import { provesDelivery } from "../../email/message-id";
import type { NotificationsContext } from "../../env";
import { unsubscribeOptional } from "../preferences/update";
import type { InboundKind } from "./classify";

export type InboundResult =
  | { action: "marked_undeliverable"; addresses: string[] }
  | { action: "unsubscribed"; userId: string }
  | { action: "forward" };

/**
 * Applies a classified inbound mail. A bounce only counts for an address when it quotes the
 * Message-ID of a mail we sent to that address; an unsubscribe only for a sender whose address is the user's own current address
 * (checked against `users`). Anything we cannot pin on a user changes nothing and is forwarded.
 */
export async function applyInbound(
  ctx: NotificationsContext,
  input: { kind: InboundKind; envelopeFrom: string },
): Promise<InboundResult> {
  const { db } = ctx;
  const { kind, envelopeFrom } = input;
  const { now } = ctx.meta;
  if (kind.kind === "bounce") {
    // Only a report quoting the Message-ID of a mail we sent to that very address counts:
    // anyone can write "user X bounced", nobody else knows our Message-IDs' secrets.
    if (kind.deliveryIds.length === 0) return { action: "forward" };
    const candidates = await db
      .select({
        id: deliveries.id,
        address: deliveries.recipient,
        userId: deliveries.userId,
        messageId: deliveries.providerId,
      })
      .from(deliveries)
      .where(
        and(
          inArray(
            deliveries.id,
            kind.deliveryIds.map((q) => q.deliveryId),
          ),
          eq(deliveries.channel, "email"),
          inArray(deliveries.recipient, kind.recipients),
        ),
      );
    const known = candidates.filter((c) => kind.deliveryIds.some((q) => provesDelivery(c.messageId, q)));
    if (known.length === 0) return { action: "forward" };
    await db
      .insert(undeliverableAddresses)
      .values(known.map((k) => ({ address: k.address, userId: k.userId, reason: kind.reason, markedAt: now })))
      .onConflictDoNothing();
    return { action: "marked_undeliverable", addresses: [...new Set(known.map((k) => k.address))] };
  }
  if (kind.kind === "unsubscribe") {
    // The envelope sender and the From header must agree: one spoofed header alone is not enough.
    if (kind.sender !== envelopeFrom.toLowerCase()) return { action: "forward" };
    const candidates = await db
      .selectDistinct({ userId: deliveries.userId })
      .from(deliveries)
      .where(eq(deliveries.recipient, kind.sender))
      .limit(10);
    for (const { userId } of candidates) {
      const contact = await ctx.env.USERS.getContact(userId, {
        requestId: ctx.meta.requestId,
        traceparent: ctx.meta.traceparent,
      });
      if (contact && contact.email.toLowerCase() === kind.sender) {
        await unsubscribeOptional(ctx, { userId });
        return { action: "unsubscribed", userId };
      }
    }
    return { action: "forward" };
  }
  return { action: "forward" };
}
