import { newId } from "@shop/runtime";
import { and, eq, ne, sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { deadLetters, deliveries } from "../../db/schema";

export type DeadLetterSource = "malformed" | "unknown_user" | "dead_letter_queue";

const MAX_BODY_CHARS = 64_000;

/** Stores whatever arrived, even if it is not JSON, bounded in size. */
function serializeBody(body: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(body) ?? String(body);
  } catch {
    text = String(body);
  }
  return text.length > MAX_BODY_CHARS ? `${text.slice(0, MAX_BODY_CHARS)}…` : text;
}

/** The fields of a message we can still read when it does not parse. */
export function looseFields(body: unknown): { messageId: string | null; userId: string | null; type: string | null } {
  const o = body && typeof body === "object" ? (body as Record<string, unknown>) : {};
  const str = (v: unknown) => (typeof v === "string" ? v.slice(0, 200) : null);
  return { messageId: str(o.id), userId: str(o.userId), type: str(o.type) };
}

/**
 * Records a dead message once per `dedupeKey`; the same message dying again (e.g. after a
 * replay) re-opens the record and counts the death instead of adding a row.
 */
export async function recordDeadLetter(
  db: Database,
  input: { source: DeadLetterSource; dedupeKey: string; body: unknown; reason: string },
  now = Date.now(),
): Promise<void> {
  const fields = looseFields(input.body);
  await db
    .insert(deadLetters)
    .values({
      id: newId("notification"),
      dedupeKey: input.dedupeKey,
      source: input.source,
      ...fields,
      reason: input.reason.slice(0, 1000),
      body: serializeBody(input.body),
      status: "dead",
      deaths: 1,
      createdAt: now,
      updatedAt: now,
    })
    .onConflictDoUpdate({
      target: deadLetters.dedupeKey,
      set: {
        status: "dead",
        reason: input.reason.slice(0, 1000),
        deaths: sql`${deadLetters.deaths} + 1`,
        updatedAt: now,
      },
      setWhere: sql`${deadLetters.status} = 'replayed'`,
    });
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
