import { applyD1Migrations, type D1Migration, env as testEnv } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import {
  canonicalJson,
  claimIdempotent,
  forgetExpiredIdempotencyRecords,
  IDEMPOTENCY_LEASE_MS,
  type IdempotencyClaim,
  IdempotencyInFlightError,
  IdempotencyKeyReusedError,
  type IdempotentOutcome,
  idempotencyProblem,
  requestFingerprint,
  runIdempotent,
} from "../src/idempotency";

const env = testEnv as unknown as {
  ORDERS_DB: D1Database;
  PAYMENTS_DB: D1Database;
  TEST_ORDERS_MIGRATIONS: D1Migration[];
  TEST_PAYMENTS_MIGRATIONS: D1Migration[];
};
const DAY_MS = 24 * 3600_000;

/** Applies a worker's migrations up to (not including) the one whose name starts with `before`. */
async function migrate(db: D1Database, migrations: D1Migration[], before?: string) {
  const end = before ? migrations.findIndex((m) => m.name.startsWith(before)) : migrations.length;
  await applyD1Migrations(db, migrations.slice(0, end));
}

// Old-shape rows written before the migration that moves them, then every migration.
beforeAll(async () => {
  await migrate(env.ORDERS_DB, env.TEST_ORDERS_MIGRATIONS, "0004");
  await env.ORDERS_DB.prepare(
    "INSERT INTO idempotency_keys (user_id, idem_key, fingerprint, order_id, created_at) VALUES ('usr_1', 'old-key-1', 'fp', 'ord_1', 1700000000000)",
  ).run();
  await migrate(env.ORDERS_DB, env.TEST_ORDERS_MIGRATIONS);

  await migrate(env.PAYMENTS_DB, env.TEST_PAYMENTS_MIGRATIONS, "0005");
  const old = env.PAYMENTS_DB.prepare(
    "INSERT INTO idempotency_keys (key, scope, fingerprint, state, response_status, response_body, created_at) VALUES (?, 'refund:usr_1', 'fp', ?, ?, ?, '2026-11-29T10:00:00.123Z')",
  );
  await env.PAYMENTS_DB.batch([
    old.bind("old-201", "done", 201, JSON.stringify({ refund: { id: "ref_1" } })),
    old.bind("old-422", "done", 422, JSON.stringify({ code: "unprocessable", detail: "Too much." })),
    old.bind("old-409", "done", 409, JSON.stringify({ code: "invalid_transition", detail: "Refunded." })),
    old.bind("old-running", "in_flight", null, null),
  ]);
  await migrate(env.PAYMENTS_DB, env.TEST_PAYMENTS_MIGRATIONS);
});

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { open, opened };
}

const claimIn = (): IdempotencyClaim => ({ scope: `test:${crypto.randomUUID()}`, key: "key-1", fingerprint: "f1" });

async function record(db: D1Database, claim: IdempotencyClaim) {
  return db
    .prepare("SELECT state, outcome, created_at, claimed_at FROM idempotency_records WHERE scope = ? AND key = ?")
    .bind(claim.scope, claim.key)
    .first<{ state: string; outcome: string | null; created_at: number; claimed_at: number }>();
}

// First: the cron test below forgets every record, these included.
describe("the migrations carry the previous records over", () => {
  it("orders 0004: each (user, key) claim becomes a record decided with its order id", async () => {
    const claim = { scope: "order:usr_1", key: "old-key-1", fingerprint: "fp" };
    // Far past the TTL, so look at the row rather than claim it.
    expect(await record(env.ORDERS_DB, claim)).toEqual({
      state: "done",
      outcome: '{"ok":true,"value":{"orderId":"ord_1"}}',
      created_at: 1700000000000,
      claimed_at: 1700000000000,
    });
  });

  it("payments 0005: stored answers become outcomes, times epoch ms", async () => {
    const at = Date.parse("2026-11-29T10:00:00.123Z");
    const rows = await env.PAYMENTS_DB.prepare(
      "SELECT key, state, outcome, created_at, claimed_at FROM idempotency_records WHERE scope = 'refund:usr_1' ORDER BY key",
    ).all<{ key: string; state: string; outcome: string | null; created_at: number; claimed_at: number }>();
    expect(rows.results.map((r) => ({ ...r, outcome: r.outcome && JSON.parse(r.outcome) }))).toEqual([
      {
        key: "old-201",
        state: "done",
        outcome: { ok: true, value: { refund: { id: "ref_1" } } },
        created_at: at,
        claimed_at: at,
      },
      {
        key: "old-409",
        state: "done",
        outcome: { ok: false, code: "not_refundable", detail: "Refunded." },
        created_at: at,
        claimed_at: at,
      },
      {
        key: "old-422",
        state: "done",
        outcome: { ok: false, code: "amount_too_large", detail: "Too much." },
        created_at: at,
        claimed_at: at,
      },
      { key: "old-running", state: "in_flight", outcome: null, created_at: at, claimed_at: at },
    ]);
  });
});

describe.each([
  ["orders", () => env.ORDERS_DB],
  ["payments", () => env.PAYMENTS_DB],
])("runIdempotent on the %s database", (_worker, database) => {
  it("runs the first request once and stores its outcome; the same request replays it", async () => {
    const db = database();
    const claim = claimIn();
    let runs = 0;
    const run = async (): Promise<IdempotentOutcome<{ n: number }>> => ({ ok: true, value: { n: ++runs } });
    expect(await runIdempotent(db, claim, run)).toEqual({ ok: true, value: { n: 1 }, replayed: false });
    expect(await runIdempotent(db, claim, run)).toEqual({ ok: true, value: { n: 1 }, replayed: true });
    expect(runs).toBe(1);
    expect(await record(db, claim)).toMatchObject({ state: "done", outcome: '{"ok":true,"value":{"n":1}}' });
  });

  it("stores a domain refusal (code and detail) and replays it", async () => {
    const db = database();
    const claim = claimIn();
    const refuse = async (): Promise<IdempotentOutcome<never>> => ({ ok: false, code: "too_much", detail: "No." });
    expect(await runIdempotent(db, claim, refuse)).toEqual({
      ok: false,
      code: "too_much",
      detail: "No.",
      replayed: false,
    });
    const again = await runIdempotent(db, claim, async () => ({ ok: true, value: 1 }));
    expect(again).toEqual({ ok: false, code: "too_much", detail: "No.", replayed: true });
  });

  it("the same key with another fingerprint is refused as reused, and runs nothing", async () => {
    const db = database();
    const claim = claimIn();
    await runIdempotent(db, claim, async () => ({ ok: true, value: 1 }));
    let ran = false;
    const other = runIdempotent(db, { ...claim, fingerprint: "f2" }, async () => {
      ran = true;
      return { ok: true, value: 2 };
    });
    await expect(other).rejects.toBeInstanceOf(IdempotencyKeyReusedError);
    expect(ran).toBe(false);
    // The same key in another scope is another key.
    expect(
      await runIdempotent(db, { ...claim, scope: `${claim.scope}:x`, fingerprint: "f2" }, async () => ({
        ok: true,
        value: 2,
      })),
    ).toMatchObject({ value: 2, replayed: false });
  });

  it("the same request while the first still runs is refused as in flight", async () => {
    const db = database();
    const claim = claimIn();
    const g = gate();
    const first = runIdempotent(db, claim, async () => {
      await g.opened;
      return { ok: true, value: "first" };
    });
    await new Promise((r) => setTimeout(r, 50));
    await expect(runIdempotent(db, claim, async () => ({ ok: true, value: "second" }))).rejects.toBeInstanceOf(
      IdempotencyInFlightError,
    );
    g.open();
    expect(await first).toEqual({ ok: true, value: "first", replayed: false });
  });

  it("an error frees the key: the retry runs", async () => {
    const db = database();
    const claim = claimIn();
    await expect(
      runIdempotent(db, claim, async () => {
        throw new Error("provider down");
      }),
    ).rejects.toThrow("provider down");
    expect(await record(db, claim)).toBeNull();
    expect(await runIdempotent(db, claim, async () => ({ ok: true, value: "retried" }))).toEqual({
      ok: true,
      value: "retried",
      replayed: false,
    });
  });

  it("a claim older than the lease is taken over by exactly one of two requests", async () => {
    const db = database();
    const claim = claimIn();
    const stale = Date.now() - IDEMPOTENCY_LEASE_MS - 1_000;
    await db
      .prepare(
        "INSERT INTO idempotency_records (scope, key, fingerprint, state, created_at, claimed_at) VALUES (?1, ?2, ?3, 'in_flight', ?4, ?4)",
      )
      .bind(claim.scope, claim.key, claim.fingerprint, stale)
      .run();
    let runs = 0;
    const g = gate();
    const run = async (): Promise<IdempotentOutcome<string>> => {
      runs++;
      await g.opened;
      return { ok: true, value: "taken over" };
    };
    const settled = Promise.allSettled([runIdempotent(db, claim, run), runIdempotent(db, claim, run)]);
    await new Promise((r) => setTimeout(r, 100));
    g.open();
    const results = (await settled).map((r) =>
      r.status === "fulfilled"
        ? r.value.ok
          ? r.value.value
          : r.value.code
        : r.reason instanceof IdempotencyInFlightError
          ? "in flight"
          : r.reason,
    );
    expect(results.sort()).toEqual(["in flight", "taken over"]);
    expect(runs).toBe(1);
    // The lease moved; the TTL still counts from the first claim.
    expect(await record(db, claim)).toMatchObject({ state: "done", created_at: stale });
  });

  it("a live claim of another fingerprint is not taken over, even when stale", async () => {
    const db = database();
    const claim = claimIn();
    await db
      .prepare(
        "INSERT INTO idempotency_records (scope, key, fingerprint, state, created_at, claimed_at) VALUES (?1, ?2, 'other', 'in_flight', ?3, ?3)",
      )
      .bind(claim.scope, claim.key, Date.now() - 10 * IDEMPOTENCY_LEASE_MS)
      .run();
    await expect(runIdempotent(db, claim, async () => ({ ok: true, value: 1 }))).rejects.toBeInstanceOf(
      IdempotencyKeyReusedError,
    );
    expect((await record(db, claim))?.state).toBe("in_flight");
  });

  it("an overtaken slow request can neither store its outcome nor free the key", async () => {
    const db = database();
    for (const ending of ["outcome", "error"] as const) {
      const claim = claimIn();
      const g = gate();
      const slow = runIdempotent(db, claim, async (): Promise<IdempotentOutcome<string>> => {
        await g.opened;
        if (ending === "error") throw new Error("lost the gateway");
        return { ok: true, value: "slow" };
      });
      await new Promise((r) => setTimeout(r, 50));
      await db
        .prepare("UPDATE idempotency_records SET claimed_at = ? WHERE scope = ? AND key = ?")
        .bind(Date.now() - IDEMPOTENCY_LEASE_MS - 1_000, claim.scope, claim.key)
        .run();
      const g2 = gate();
      const taker = runIdempotent(db, claim, async () => {
        await g2.opened;
        return { ok: true, value: "taker" };
      });
      await new Promise((r) => setTimeout(r, 50));
      g.open(); // the slow one ends while the taker still runs
      if (ending === "error") await expect(slow).rejects.toThrow("lost the gateway");
      else expect(await slow).toMatchObject({ value: "slow", replayed: false });
      expect((await record(db, claim))?.state).toBe("in_flight");
      g2.open();
      expect(await taker).toMatchObject({ value: "taker", replayed: false });
      expect(await runIdempotent(db, claim, async () => ({ ok: true, value: "third" }))).toMatchObject({
        value: "taker",
        replayed: true,
      });
    }
  });

  it("a record older than the TTL is forgotten: by the next claim, and by the cron", async () => {
    const db = database();
    const claim = claimIn();
    await runIdempotent(db, claim, async () => ({ ok: true, value: "first" }));
    await db
      .prepare("UPDATE idempotency_records SET created_at = created_at - ? WHERE scope = ?")
      .bind(DAY_MS + 1, claim.scope)
      .run();
    expect(
      await runIdempotent(db, { ...claim, fingerprint: "f2" }, async () => ({ ok: true, value: "new" })),
    ).toMatchObject({
      value: "new",
      replayed: false,
    });

    const young = claimIn();
    await runIdempotent(db, young, async () => ({ ok: true, value: 1 }));
    await forgetExpiredIdempotencyRecords(db, Date.now() + DAY_MS + 1_000);
    expect(await record(db, young)).toBeNull();
  });

  it("an outcome decided up front is shared by every concurrent caller: no lease, no 409", async () => {
    const db = database();
    const claim = claimIn();
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => claimIdempotent(db, claim, { orderId: `ord_${i}` })),
    );
    const ids = new Set(results.map((r) => r.value.orderId));
    expect(ids.size).toBe(1);
    expect(results.filter((r) => !r.replayed)).toHaveLength(1);
    const winner = results.find((r) => !r.replayed);
    expect(winner?.value.orderId).toBe([...ids][0]);
    expect(await claimIdempotent(db, claim, { orderId: "ord_later" })).toEqual({
      value: winner?.value,
      replayed: true,
    });
    await expect(claimIdempotent(db, { ...claim, fingerprint: "f2" }, { orderId: "ord_x" })).rejects.toBeInstanceOf(
      IdempotencyKeyReusedError,
    );
  });
});

describe("fingerprints and HTTP answers", () => {
  it("canonical JSON sorts keys at every level and drops undefined members", () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { f: 1, e: 2 }], c: undefined } })).toBe(
      '{"a":{"d":[3,{"e":2,"f":1}]},"b":1}',
    );
    expect(canonicalJson([undefined, "x", null])).toBe('[null,"x",null]');
    expect(canonicalJson(new Date(0))).toBe('"1970-01-01T00:00:00.000Z"');
  });

  it("the same request in any key order has one fingerprint; another request another", async () => {
    const a = await requestFingerprint({ shippingAddress: { city: "Oslo", line1: "x" }, paymentMethod: "pm" });
    const b = await requestFingerprint({ paymentMethod: "pm", shippingAddress: { line1: "x", city: "Oslo" } });
    expect(a).toBe(b);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(await requestFingerprint({ paymentMethod: "pm2" })).not.toBe(a);
    // An array of plain values fingerprints as its JSON, as the records before ADR 0018 did.
    const refund = ["POST /payments/{id}/refund", "pay_1", null, "late"];
    const { sha256Hex } = await import("../src/crypto");
    expect(await requestFingerprint(refund)).toBe(await sha256Hex(JSON.stringify(refund)));
  });

  it("maps the refusals to 422 and 409 problems, and nothing else", () => {
    expect(idempotencyProblem(new IdempotencyKeyReusedError())).toMatchObject({
      status: 422,
      code: "idempotency_key_reused",
    });
    expect(idempotencyProblem(new IdempotencyInFlightError())).toMatchObject({
      status: 409,
      code: "idempotency_in_flight",
      headers: { "retry-after": "1" },
    });
    expect(idempotencyProblem(new Error("boom"))).toBeUndefined();
  });
});
