import { type DeadLetter, NotificationMessage } from "@shop/contracts";
import { callerOf, newId } from "@shop/runtime";
import {
  type DeadLetterPageQuery,
  type DeadMessage,
  deadLetterBody,
  isOpenDeadLetter,
  listDeadLetterRows,
  type QueueDeadLetterTable,
  type RecordOptions,
  recordDeadLetter,
  replayDeadLetterRow,
} from "@shop/runtime/dead-letters";
import { and, eq, ne } from "drizzle-orm";
import { deadLetters, deliveries } from "../../db/schema";
import type { NotificationsContext } from "../../env";

/**
 * Notifications' dead letters through the runtime's one implementation (ADR 0019): the shared
 * columns plus `source`, `user_id` and `type` of this worker's own, shown in its own view
 * (`DeadLetter`). A replay puts the message back on the queue, where it can die again: then its
 * letter re-opens (`reopen`). The message keeps its id, so channels already sent are not sent again.
 */
export type DeadLetterSource = DeadLetter["source"];

/** The live queue messages die on (the shared `queue` column and dedupe key `notifications:<id>`). */
export const QUEUE = "notifications";

// The worker's table has the shared columns and more; the runtime reads only the shared ones.
const table = deadLetters as unknown as QueueDeadLetterTable;

/** The fields of a message we can still read when it does not parse. */
function looseFields(body: unknown): { userId: string | null; type: string | null } {
  const o = body && typeof body === "object" ? (body as Record<string, unknown>) : {};
  const str = (v: unknown) => (typeof v === "string" ? v.slice(0, 200) : null);
  return { userId: str(o.userId), type: str(o.type) };
}

/** How to record a dead message of `source`: this worker's table, id and columns. */
export function recordAs(source: DeadLetterSource, body: unknown, now: number): RecordOptions {
  return {
    table,
    id: newId("notification"),
    reopen: true,
    // created_at/updated_at are read only by the release before migration 0002 (expand/contract).
    extra: { source, ...looseFields(body), createdAt: now, updatedAt: now },
  };
}

/**
 * Records a message that died on the live queue without reaching the DLQ (malformed, or for a
 * user who does not exist): retrying cannot fix either, so the consumer acks it after this.
 */
export async function recordDeadMessage(
  ctx: NotificationsContext,
  input: { source: DeadLetterSource; message: Omit<DeadMessage, "queue"> },
): Promise<void> {
  const { now } = ctx.meta;
  await recordDeadLetter(
    ctx.db.$client,
    { queue: QUEUE, ...input.message },
    now,
    recordAs(input.source, input.message.body, now),
  );
}

/** Why a message's deliveries did not all go out: the last error of each unfinished channel. */
export async function lastDeliveryErrors(
  ctx: NotificationsContext,
  input: { messageId: string },
): Promise<string | null> {
  const { messageId } = input;
  const rows = await ctx.db
    .select({ channel: deliveries.channel, status: deliveries.status, error: deliveries.error })
    .from(deliveries)
    .where(and(eq(deliveries.messageId, messageId), ne(deliveries.status, "sent")));
  if (rows.length === 0) return null;
  return rows.map((r) => `${r.channel} ${r.status}${r.error ? `: ${r.error}` : ""}`).join("; ");
}

type Row = typeof deadLetters.$inferSelect;

export function toDeadLetter(r: Row, now = Date.now()): DeadLetter {
  return {
    id: r.id,
    source: r.source,
    messageId: r.messageId,
    userId: r.userId,
    type: r.type,
    reason: r.reason,
    status: r.status,
    deaths: r.deliveries,
    replayable: r.source !== "malformed" && isOpenDeadLetter(r, now),
    body: deadLetterBody(r.body),
    createdAt: new Date(r.firstSeenAt).toISOString(),
    replayedAt: r.replayedAt === null ? null : new Date(r.replayedAt).toISOString(),
  };
}

/** Dead letters, newest first, optionally only those still waiting (`status=dead`). */
export async function listDeadLetters(
  ctx: NotificationsContext,
  page: DeadLetterPageQuery,
): Promise<{ items: DeadLetter[]; nextCursor: string | null }> {
  const { rows, nextCursor } = await listDeadLetterRows<Row>(ctx.db.$client, page, table);
  return { items: rows.map((r) => toDeadLetter(r, ctx.meta.now)), nextCursor };
}

/**
 * Puts a dead message back on the notifications queue, once, for the calling admin. An unknown
 * letter, a malformed or already replayed one, and a queue that refuses are the runtime's
 * outcomes (`replayQueueDeadLetter`).
 */
export async function replayDeadLetter(ctx: NotificationsContext, input: { id: string }): Promise<DeadLetter> {
  const admin = callerOf(ctx);
  const { row } = await replayDeadLetterRow<NotificationMessage, Row>(
    ctx.db.$client,
    input.id,
    admin.userId,
    {
      parse: (body) => (NotificationMessage.safeParse(body).data as NotificationMessage | undefined) ?? null,
      apply: async (message) => {
        await ctx.env.NOTIFICATIONS.send(message, { contentType: "json" });
        return "queued";
      },
    },
    ctx.meta.now,
    table,
  );
  return toDeadLetter(row, ctx.meta.now);
}
