import { type DeadLetter, NotificationMessage } from "@shop/contracts";
import { AppError, notFound } from "@shop/runtime";
import { and, eq } from "drizzle-orm";
import type { Database } from "../../db/client";
import { deadLetters } from "../../db/schema";
import { toDeadLetter } from "./list";

/**
 * Puts a dead message back on the notifications queue, once: the record flips dead → replayed
 * in one conditional update, so two replays cannot both enqueue. The message keeps its id, so
 * channels that already went out are not sent again; only the unfinished ones are.
 */
export async function replayDeadLetter(
  db: Database,
  queue: Queue,
  id: string,
  adminId: string,
  now = Date.now(),
): Promise<DeadLetter> {
  const row = await db.select().from(deadLetters).where(eq(deadLetters.id, id)).get();
  if (!row) throw notFound("The dead letter");
  const parsed = NotificationMessage.safeParse(JSON.parse(row.body));
  if (row.source === "malformed" || !parsed.success) {
    throw new AppError(409, "conflict", "This message is malformed and cannot be replayed.");
  }
  const flipped = await db
    .update(deadLetters)
    .set({ status: "replayed", replayedAt: now, replayedBy: adminId, updatedAt: now })
    .where(and(eq(deadLetters.id, id), eq(deadLetters.status, "dead")))
    .returning()
    .get();
  if (!flipped) throw new AppError(409, "conflict", "This message was already replayed.");
  try {
    await queue.send(parsed.data, { contentType: "json" });
  } catch (err) {
    await db
      .update(deadLetters)
      .set({ status: "dead", replayedAt: null, replayedBy: null, updatedAt: now })
      .where(eq(deadLetters.id, id));
    throw new AppError(503, "service_unavailable", `The notifications queue refused the message: ${String(err)}`);
  }
  return toDeadLetter(flipped);
}
