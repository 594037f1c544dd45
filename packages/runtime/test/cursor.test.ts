import { env as testEnv } from "cloudflare:test";
import { and, desc, gt } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { sqliteTable, text } from "drizzle-orm/sqlite-core";
import { beforeAll, describe, expect, it } from "vitest";
import { beforeIdCursor, encodeCursor, keysetPage } from "../src/cursor";

const env = testEnv as unknown as { DB: D1Database };
const things = sqliteTable("keyset_things", { id: text("id").primaryKey(), kind: text("kind").notNull() });
const IDS = ["t_01", "t_02", "t_03", "t_04", "t_05", "t_06", "t_07"];

beforeAll(async () => {
  await env.DB.exec("CREATE TABLE IF NOT EXISTS keyset_things (id TEXT PRIMARY KEY, kind TEXT NOT NULL)");
  await env.DB.exec("DELETE FROM keyset_things");
  await drizzle(env.DB)
    .insert(things)
    .values(IDS.map((id, i) => ({ id, kind: i % 2 ? "odd" : "even" })));
});

async function page(limit: number, cursor: string | null) {
  const rows = await drizzle(env.DB)
    .select()
    .from(things)
    .where(and(gt(things.kind, ""), beforeIdCursor(things.id, cursor)))
    .orderBy(desc(things.id))
    .limit(limit + 1);
  return keysetPage(rows, limit, (r) => [r.id]);
}

describe("keyset paging newest first on the id", () => {
  it("walks every row once, in order, and ends with a null cursor", async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const next = await page(3, cursor);
      seen.push(...next.rows.map((r) => r.id));
      cursor = next.nextCursor;
      pages++;
    } while (cursor);
    expect(seen).toEqual([...IDS].reverse());
    expect(pages).toBe(3);
  });

  it("has no next page when exactly `limit` rows are left", async () => {
    const all = await page(IDS.length, null);
    expect(all.rows).toHaveLength(IDS.length);
    expect(all.nextCursor).toBeNull();
  });

  it("refuses a cursor that is not one id (400), and ignores a missing one", () => {
    expect(beforeIdCursor(things.id, undefined)).toBeUndefined();
    expect(beforeIdCursor(things.id, "")).toBeUndefined();
    for (const bad of [encodeCursor([1]), encodeCursor(["t_01", "t_02"]), "%%"]) {
      expect(() => beforeIdCursor(things.id, bad)).toThrowError(expect.objectContaining({ status: 400 }));
    }
  });
});

describe("keysetPage", () => {
  it("keeps the first `limit` rows and builds the cursor from the last one's key", () => {
    const { rows, nextCursor } = keysetPage([{ k: 3 }, { k: 2 }, { k: 1 }], 2, (r) => ["s", r.k]);
    expect(rows).toEqual([{ k: 3 }, { k: 2 }]);
    expect(nextCursor).toBe(encodeCursor(["s", 2]));
    expect(keysetPage([], 2, () => ["x"])).toEqual({ rows: [], nextCursor: null });
  });
});
