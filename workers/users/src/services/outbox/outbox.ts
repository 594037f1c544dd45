import type { NotificationMessage } from "@shop/contracts";
import { type Backoff, backoffMs, log } from "@shop/runtime";
import { asc, eq, inArray, lte, SQL, sql } from "drizzle-orm";
import type { AnySQLiteColumn } from "drizzle-orm/sqlite-core";
import type { Db } from "../../db/client";
import { outbox, users } from "../../db/schema";

/** How many due messages one drain sends (a queue batch holds at most 100). */
const DRAIN_LIMIT = 100;

/**
 * How long a new row is left to the request that wrote it: the request sends it at once, and
 * a drain picks it up only after this, when that send has evidently not happened.
 */
const INLINE_SEND_GRACE_MS = 60_000;

/** After the n-th refusal: 30 s, then twice as long after each, at most an hour. */
const RETRY: Backoff = { baseMs: 30_000, maxMs: 3_600_000 };

/**
 * The outbox row for `message`, written only if the row `whereExists` names exists once the
 * batch's earlier statements have run (so a refused insert leaves no message behind). Given a
 * condition instead of a user id, one row per matching account; `fill` then copies that
 * account's columns into the payload (e.g. `{ "$.userId": users.id }`), for a message to an
 * account this code never reads (so the answer cannot depend on whether it exists).
 */
export function outboxInsert(
  db: Db,
  message: NotificationMessage,
  now: number,
  whereExists: { userId: string } | SQL,
  fill: Record<string, AnySQLiteColumn> = {},
) {
  const json = sql`${JSON.stringify(message)}`;
  const patches = Object.entries(fill).flatMap(([path, column]) => [sql`, ${path}, ${column}`]);
  return db.insert(outbox).select(
    db
      .select({
        id: sql<string>`${message.id}`.as("id"),
        payload: (patches.length ? sql<string>`json_set(${json}${sql.join(patches)})` : sql<string>`${json}`).as(
          "payload",
        ),
        createdAt: sql<number>`${now}`.as("created_at"),
        attempts: sql<number>`0`.as("attempts"),
        nextAt: sql<number>`${now + INLINE_SEND_GRACE_MS}`.as("next_at"),
      })
      .from(users)
      .where(whereExists instanceof SQL ? whereExists : eq(users.id, whereExists.userId)),
  );
}

/**
 * Hands messages to the queue, then forgets them. If the queue refuses, they stay in the
 * outbox with a later `next_at` and the cron sends them again. `refusals` holds how often each
 * message was refused before (none for a message just written). Never throws: the change the
 * messages announce has already happened.
 */
export async function deliver(
  db: Db,
  queue: Queue,
  messages: NotificationMessage[],
  now = Date.now(),
  refusals: ReadonlyMap<string, number> = new Map(),
): Promise<boolean> {
  if (messages.length === 0) return true;
  const ids = messages.map((m) => m.id);
  try {
    await queue.sendBatch(messages.map((body) => ({ body, contentType: "json" as const })));
  } catch (error) {
    log("error", { worker: "users", msg: "outbox messages not queued; kept for retry", ids, error: String(error) });
    // One UPDATE per distinct refusal count (a drain's rows may differ; inline sends are all new).
    const byCount = new Map<number, string[]>();
    for (const id of ids) {
      const count = refusals.get(id) ?? 0;
      byCount.set(count, [...(byCount.get(count) ?? []), id]);
    }
    const [first, ...rest] = [...byCount].map(([count, group]) =>
      db
        .update(outbox)
        .set({ attempts: count + 1, nextAt: now + backoffMs(count + 1, RETRY) })
        .where(inArray(outbox.id, group)),
    );
    if (first) await db.batch([first, ...rest]).catch(() => undefined);
    return false;
  }
  // If this delete is lost the message is sent again later; consumers de-duplicate by id.
  await db
    .delete(outbox)
    .where(inArray(outbox.id, ids))
    .catch(() => undefined);
  return true;
}

/** Sends every message whose time has come (oldest first). Returns how many were sent. */
export async function drainOutbox(db: Db, queue: Queue, now = Date.now()): Promise<number> {
  const due = await db
    .select({ id: outbox.id, payload: outbox.payload, attempts: outbox.attempts })
    .from(outbox)
    .where(lte(outbox.nextAt, now))
    .orderBy(asc(outbox.nextAt))
    .limit(DRAIN_LIMIT);
  if (due.length === 0) return 0;
  const messages = due.map((r) => JSON.parse(r.payload) as NotificationMessage);
  const refusals = new Map(due.map((r) => [r.id, r.attempts]));
  return (await deliver(db, queue, messages, now, refusals)) ? messages.length : 0;
}
