import type { DeadLetter } from "@shop/contracts";
import { beforeIdCursor, keysetPage } from "@shop/runtime";
import { and, desc, eq } from "drizzle-orm";
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
  const rows = await db
    .select()
    .from(deadLetters)
    .where(
      and(page.status ? eq(deadLetters.status, page.status) : undefined, beforeIdCursor(deadLetters.id, page.cursor)),
    )
    .orderBy(desc(deadLetters.id))
    .limit(page.limit + 1);
  const { rows: found, nextCursor } = keysetPage(rows, page.limit, (r) => [r.id]);
  return { items: found.map(toDeadLetter), nextCursor };
}
