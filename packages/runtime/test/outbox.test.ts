import { runDurableObjectAlarm, runInDurableObject, env as testEnv } from "cloudflare:test";
import { eq, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { SQLiteAsyncDialect, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { D1Outbox, newOutboxRecord, outboxTable, outboxTableSql, retryAt } from "../src/outbox";
import type { OutboxObject } from "./fixture-worker";

const env = testEnv as unknown as { DB: D1Database; OUTBOX_OBJECT: DurableObjectNamespace<OutboxObject> };
const outbox = outboxTable("test_outbox");
const accounts = sqliteTable("outbox_accounts", { id: text("id").primaryKey(), name: text("name").notNull() });
const policy = { worker: "fixture", graceMs: 60_000, retry: { baseMs: 30_000, maxMs: 3_600_000 } };
const box = new D1Outbox(outbox, policy);
const db = drizzle(env.DB);
const NOW = 1_800_000_000_000;

/** Stand-ins for the queue producer: one that keeps what it is given, one that refuses. */
function recordingQueue() {
  const sent: unknown[] = [];
  const queue = {
    async send(body: unknown) {
      sent.push(body);
    },
    async sendBatch(messages: Iterable<MessageSendRequest>) {
      for (const m of messages) sent.push(m.body);
    },
  } as unknown as Queue;
  return { queue, sent };
}
const refusing = {
  async send() {
    throw new Error("queue unavailable");
  },
  async sendBatch() {
    throw new Error("queue unavailable");
  },
} as unknown as Queue;

const message = (id: string, extra: object = {}) => ({ id, version: 1, type: "thing.added", ...extra });
const rows = () => db.select().from(outbox).orderBy(outbox.id);

beforeAll(async () => {
  for (const statement of outboxTableSql("test_outbox")
    .split(";")
    .filter((s) => s.trim()))
    await env.DB.prepare(statement).run();
  await env.DB.exec("CREATE TABLE IF NOT EXISTS outbox_accounts (id TEXT PRIMARY KEY, name TEXT NOT NULL)");
});
beforeEach(async () => {
  await env.DB.batch([env.DB.prepare("DELETE FROM test_outbox"), env.DB.prepare("DELETE FROM outbox_accounts")]);
});

describe("outbox core", () => {
  it("a new row is the envelope, never refused, due after the writer's grace period", () => {
    const m = message("msg_1");
    expect(newOutboxRecord(m, NOW, policy)).toEqual({
      id: "msg_1",
      payload: JSON.stringify(m),
      createdAt: NOW,
      attempts: 0,
      nextAt: NOW + 60_000,
    });
  });

  it("a refused row waits by the runtime's backoff: base, doubling, capped", () => {
    expect(retryAt(1, NOW, policy)).toBe(NOW + 30_000);
    expect(retryAt(2, NOW, policy)).toBe(NOW + 60_000);
    expect(retryAt(20, NOW, policy)).toBe(NOW + 3_600_000);
  });
});

describe("D1 outbox", () => {
  it("commits with the change it announces, or not at all", async () => {
    await db.batch([db.insert(accounts).values({ id: "a1", name: "Ada" }), box.insert(db, message("msg_a1"), NOW)]);
    expect((await rows()).map((r) => r.id)).toEqual(["msg_a1"]);

    // The batch fails on its last statement (a duplicate account): neither write stays.
    await expect(
      db.batch([
        box.insert(db, message("msg_a2"), NOW),
        db.insert(accounts).values({ id: "a2", name: "Bob" }),
        db.insert(accounts).values({ id: "a1", name: "Ada again" }),
      ]),
    ).rejects.toThrow();
    expect((await rows()).map((r) => r.id)).toEqual(["msg_a1"]);
    expect(await db.select().from(accounts).where(eq(accounts.id, "a2"))).toEqual([]);
  });

  it("insertFrom writes the row only when its condition holds, filling the payload from that row", async () => {
    const [, matched, unmatched] = await db.batch([
      db.insert(accounts).values({ id: "a1", name: "Ada" }),
      box
        .insertFrom(db, message("msg_yes", { userId: "", data: {} }), NOW, {
          from: accounts,
          where: eq(accounts.id, "a1"),
          fill: { "$.userId": accounts.id, "$.data": sql`json_object('name', ${accounts.name})` },
        })
        .returning(box.returned),
      box
        .insertFrom(db, message("msg_no"), NOW, { from: accounts, where: eq(accounts.id, "nobody") })
        .returning(box.returned),
    ]);
    expect(unmatched).toEqual([]);
    expect(matched).toHaveLength(1);
    expect(JSON.parse(matched[0]?.payload ?? "")).toEqual({
      id: "msg_yes",
      version: 1,
      type: "thing.added",
      userId: "a1",
      data: { name: "Ada" },
    });
    expect((await rows()).map((r) => [r.id, r.attempts, r.nextAt])).toEqual([["msg_yes", 0, NOW + 60_000]]);
  });

  it("insertFromSql is the same conditional row as a raw statement, atomic with a raw batch", async () => {
    const raw = (q: ReturnType<typeof sql>) => {
      const { sql: text, params } = new SQLiteAsyncDialect().sqlToQuery(q);
      return env.DB.prepare(text).bind(...params);
    };
    const announce = (id: string, account: string) =>
      box.insertFromSql(message(id, { data: {} }), NOW, {
        from: accounts,
        where: sql`id = ${account}`,
        fill: { "$.data": sql`json_object('name', name)` },
      });
    await env.DB.batch([
      env.DB.prepare("INSERT INTO outbox_accounts VALUES ('a1', 'Ada')"),
      raw(announce("msg_1", "a1")),
    ]);
    await expect(
      env.DB.batch([
        raw(announce("msg_2", "a1")),
        env.DB.prepare("INSERT INTO outbox_accounts VALUES ('a1', 'again')"),
      ]),
    ).rejects.toThrow();
    await env.DB.batch([raw(announce("msg_3", "nobody"))]);
    expect((await rows()).map((r) => [r.id, JSON.parse(r.payload).data])).toEqual([["msg_1", { name: "Ada" }]]);
  });

  it("a sent row is forgotten; a refused one is kept, counted and rescheduled by the backoff", async () => {
    await db.batch([box.insert(db, message("msg_1"), NOW), box.insert(db, message("msg_2"), NOW)]);
    expect(await box.sendIds(db, refusing, ["msg_1"], NOW)).toBe(false);
    expect((await rows()).map((r) => [r.id, r.attempts, r.nextAt])).toEqual([
      ["msg_1", 1, NOW + 30_000],
      ["msg_2", 0, NOW + 60_000],
    ]);

    const { queue, sent } = recordingQueue();
    expect(await box.sendIds(db, queue, ["msg_2"], NOW)).toBe(true);
    expect(sent).toEqual([message("msg_2")]);
    expect((await rows()).map((r) => r.id)).toEqual(["msg_1"]);
  });

  it("drain sends only what is due, oldest first, and backs off further after each refusal", async () => {
    await db.batch([box.insert(db, message("msg_1"), NOW), box.insert(db, message("msg_2"), NOW + 10_000)]);
    const { queue, sent } = recordingQueue();
    // Inside the grace period the writer's own send is not raced.
    expect(await box.drain(db, queue, NOW + 59_999)).toBe(0);

    expect(await box.drain(db, refusing, NOW + 60_000)).toBe(0);
    expect(await box.drain(db, refusing, NOW + 90_000)).toBe(0);
    expect((await rows()).map((r) => [r.id, r.attempts, r.nextAt])).toEqual([
      ["msg_1", 2, NOW + 90_000 + 60_000],
      ["msg_2", 1, NOW + 90_000 + 30_000],
    ]);

    expect(await box.drain(db, queue, NOW + 150_000)).toBe(2);
    expect(sent).toEqual([message("msg_2"), message("msg_1")]);
    expect(await rows()).toEqual([]);
  });
});

describe("Durable Object outbox", () => {
  it("commits with the change inside the object's transaction, or not at all", async () => {
    const stub = env.OUTBOX_OBJECT.get(env.OUTBOX_OBJECT.idFromName("atomic"));
    await runInDurableObject(stub, (o: OutboxObject) => {
      o.change("one", NOW);
      expect(() => o.change("two", NOW, true)).toThrow(/the change failed/);
      expect(o.things()).toEqual(["one"]);
      expect(
        o.db
          .select()
          .from(o.outbox.table)
          .all()
          .map((r) => r.id),
      ).toEqual(["msg_one"]);
    });
  });

  it("the alarm retries a refused message at its backoff time, then forgets it once sent", async () => {
    const stub = env.OUTBOX_OBJECT.get(env.OUTBOX_OBJECT.idFromName("alarm"));
    const { queue, sent } = recordingQueue();
    const now = Date.now();
    await runInDurableObject(stub, async (o: OutboxObject, state) => {
      o.change("one", now);
      o.queue = refusing;
      expect(await o.outbox.scheduleAlarm(state.storage)).toBe(now);
    });
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    await runInDurableObject(stub, async (o: OutboxObject, state) => {
      const [row] = o.db.select().from(o.outbox.table).all();
      expect(row?.attempts).toBe(1);
      // Refused at some time t ≥ now: due again 1 s later, and the alarm is set for it.
      expect(row?.nextAt).toBeGreaterThanOrEqual(now + 1000);
      expect(await state.storage.getAlarm()).toBe(row?.nextAt);
      o.queue = queue;
    });
    // Not due yet: the alarm runs early (as a test may) and sends nothing.
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(sent).toEqual([]);
    await runInDurableObject(stub, async (o: OutboxObject) => {
      const next = o.outbox.nextDueAt() ?? 0;
      expect(await o.outbox.drain(queue, next)).toBe(1);
      expect(o.outbox.nextDueAt()).toBeNull();
    });
    expect(sent).toEqual([{ id: "msg_one", type: "thing.added", name: "one" }]);
  });
});
