import { type DeadLetter, NotificationMessage } from "@shop/contracts";
import { newId } from "@shop/runtime";
import {
  type DeadLetterPageQuery,
  deadLetterBody,
  isOpenDeadLetter,
  listDeadLetterRows,
  type QueueDeadLetterTable,
  type RecordOptions,
  replayDeadLetterRow,
} from "@shop/runtime/dead-letters";
import { and, eq, ne } from "drizzle-orm";
import type { Database } from "../../db/client";
import { deadLetters, deliveries } from "../../db/schema";

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

/** Why a message's deliveries did not all go out: the last error of each unfinished channel. */
export async function lastDeliveryErrors(db: Database, messageId: string): Promise<string | null> {
  const rows = await db
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
  d1: D1Database,
  page: DeadLetterPageQuery,
): Promise<{ items: DeadLetter[]; nextCursor: string | null }> {
  const { rows, nextCursor } = await listDeadLetterRows<Row>(d1, page, table);
  return { items: rows.map((r) => toDeadLetter(r)), nextCursor };
}

/** Puts a dead message back on the notifications queue, once (see `replayQueueDeadLetter`). */
export async function replayDeadLetter(d1: D1Database, queue: Queue, id: string, adminId: string): Promise<DeadLetter> {
  const { row } = await replayDeadLetterRow<NotificationMessage, Row>(
    d1,
    id,
    adminId,
    {
      parse: (body) => (NotificationMessage.safeParse(body).data as NotificationMessage | undefined) ?? null,
      apply: async (message) => {
        await queue.send(message, { contentType: "json" });
        return "queued";
      },
    },
    Date.now(),
    table,
  );
  return toDeadLetter(row);
}
