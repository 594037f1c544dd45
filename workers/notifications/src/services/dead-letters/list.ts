import type { DeadLetter } from "@shop/contracts";
import { decodeCursor, encodeCursor } from "@shop/runtime";
import { and, desc, eq, lt } from "drizzle-orm";
import type { Database } from "../../db/client";
import { deadLetters } from "../../db/schema";

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function parseBody(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export function toDeadLetter(r: typeof deadLetters.$inferSelect): DeadLetter {
  return {
    id: r.id,
    source: r.source,
    messageId: r.messageId,
    userId: r.userId,
    type: r.type,
    reason: r.reason,
    status: r.status,
    deaths: r.deaths,
    replayable: r.source !== "malformed" && r.status === "dead",
    body: parseBody(r.body),
    createdAt: new Date(r.createdAt).toISOString(),
    replayedAt: iso(r.replayedAt),
  };
}

/** Dead letters, newest first, optionally only those still waiting (`status=dead`). */
export async function listDeadLetters(
  db: Database,
  page: { limit: number; cursor?: string | undefined; status?: "dead" | "replayed" | undefined },
): Promise<{ items: DeadLetter[]; nextCursor: string | null }> {
  const after = page.cursor ? decodeCursor(page.cursor)[0] : undefined;
  if (page.cursor && typeof after !== "string") decodeCursor("!");
  const rows = await db
    .select()
    .from(deadLetters)
    .where(
      and(
        page.status ? eq(deadLetters.status, page.status) : undefined,
        after ? lt(deadLetters.id, after as string) : undefined,
      ),
    )
    .orderBy(desc(deadLetters.id))
    .limit(page.limit + 1);
  const items = rows.slice(0, page.limit).map(toDeadLetter);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > page.limit && last ? encodeCursor([last.id]) : null };
}
