import { createExecutionContext, createMessageBatch, env, getQueueResult } from "cloudflare:test";
import { newId } from "@shop/runtime";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { PaymentsBindings } from "../../src/env";
import worker from "../../src/index";
import type { SimulatedEvent } from "../../src/services/providers/simulated";
import { createInput, harness, tokenFor, userId } from "../helpers";

/**
 * `payments-simulator-dlq`: a simulated gateway outcome that exhausted its retries is recorded
 * once, logged as an error and acked; an admin lists it and replays it through the simulator
 * consumer's own function, once.
 */

afterEach(() => vi.restoreAllMocks());

type Letter = { id: string; messageId: string | null; status: string; replayable: boolean; deliveries: number };

/** Delivers messages to the worker's dead-letter consumer, as the DLQ would. */
async function deliverDeadLetters(testEnv: PaymentsBindings, bodies: unknown[]) {
  const batch = createMessageBatch<SimulatedEvent>(
    "payments-simulator-dlq",
    bodies.map((body, i) => ({
      id: `dlq-${i}-${crypto.randomUUID()}`,
      timestamp: new Date(),
      attempts: 2,
      body: body as SimulatedEvent,
    })),
  );
  const ctx = createExecutionContext();
  await worker.queue(batch, testEnv, ctx);
  return getQueueResult(batch, ctx);
}

async function rowsFor(messageId: string) {
  const { results } = await env.DB.prepare(
    "SELECT id, deliveries, status, queue FROM dead_letters WHERE message_id = ?1",
  )
    .bind(messageId)
    .all<{ id: string; deliveries: number; status: string; queue: string }>();
  return results;
}

async function letterFor(h: ReturnType<typeof harness>, messageId: string): Promise<Letter | undefined> {
  const res = await h.fetch("/payments/dead-letters?limit=100", { headers: await tokenFor(userId(), "admin") });
  expect(res.status).toBe(200);
  return ((await res.json()) as { items: Letter[] }).items.find((l) => l.messageId === messageId);
}

/** A bank debit: `processing` at once, its settlement queued for later — the message that dies here. */
async function bankDebitAwaitingSettlement(h: ReturnType<typeof harness>) {
  const created = await h.rpc.create(createInput({ paymentMethod: "pm_usBankAccount_success" }));
  expect(created.status).toBe("processing");
  const settle = h.simulated.map((m) => m.body).find((e) => e.type === "payment_intent.succeeded");
  if (!settle) throw new Error("no settlement queued");
  return { paymentId: created.paymentId, settle };
}

describe("payments-simulator-dlq consumer", () => {
  it("records a dead outcome once however often it is delivered, logs an error, and acks", async () => {
    const h = harness();
    const errors = vi.spyOn(console, "error");
    const { paymentId, settle } = await bankDebitAwaitingSettlement(h);
    const result = await deliverDeadLetters(h.env, [settle, settle, settle]);
    expect(result.explicitAcks).toHaveLength(3);
    expect(result.retryMessages).toHaveLength(0);
    expect(await rowsFor(settle.id)).toEqual([
      expect.objectContaining({ queue: "payments-simulator", deliveries: 3, status: "dead" }),
    ]);
    const lines = errors.mock.calls.map((args) => JSON.parse(String(args[0])));
    expect(lines).toContainEqual(
      expect.objectContaining({ level: "error", msg: "dead letter recorded", messageId: settle.id }),
    );
    // Recording is not applying: the payment still waits for its money.
    expect((await h.rpc.get(paymentId))?.status).toBe("processing");
  });
});

describe("GET /payments/dead-letters and replay", () => {
  it("no token → 401; a customer → 403 on both routes; nothing is replayed", async () => {
    const h = harness();
    const { paymentId, settle } = await bankDebitAwaitingSettlement(h);
    await deliverDeadLetters(h.env, [settle]);
    const [row] = await rowsFor(settle.id);
    const customer = await tokenFor(userId());
    for (const [method, path] of [
      ["GET", "/payments/dead-letters"],
      ["POST", `/payments/dead-letters/${row?.id}/replay`],
    ] as const) {
      const anonymous = await h.fetch(path, { method });
      expect(anonymous.status, path).toBe(401);
      expect(anonymous.headers.get("content-type")).toContain("application/problem+json");
      const refused = await h.fetch(path, { method, headers: customer });
      expect(refused.status, path).toBe(403);
      expect(((await refused.json()) as { code: string }).code).toBe("forbidden");
    }
    expect((await rowsFor(settle.id))[0]?.status).toBe("dead");
    expect((await h.rpc.get(paymentId))?.status).toBe("processing");
  });

  it("replaying a dead settlement settles the payment once; a second replay → 409", async () => {
    const h = harness();
    const admin = await tokenFor(userId(), "admin");
    const { paymentId, settle } = await bankDebitAwaitingSettlement(h);
    await deliverDeadLetters(h.env, [settle]);
    const letter = await letterFor(h, settle.id);
    expect(letter).toMatchObject({ status: "dead", replayable: true });

    const replayed = await h.fetch(`/payments/dead-letters/${letter?.id}/replay`, { method: "POST", headers: admin });
    expect(replayed.status).toBe(200);
    expect(await replayed.json()).toMatchObject({ status: "replayed", replayOutcome: "applied" });
    expect((await h.rpc.get(paymentId))?.status).toBe("succeeded");
    expect(h.statuses().filter((s) => s === "succeeded")).toHaveLength(1);

    const second = await h.fetch(`/payments/dead-letters/${letter?.id}/replay`, { method: "POST", headers: admin });
    expect(second.status).toBe(409);
    expect(second.headers.get("content-type")).toContain("application/problem+json");
    expect(h.statuses().filter((s) => s === "succeeded")).toHaveLength(1);
    expect(await letterFor(h, settle.id)).toMatchObject({ status: "replayed", replayable: false });
  });

  it("a replay that crashed before recording its outcome can be taken over once its lease ran out", async () => {
    const h = harness();
    const admin = await tokenFor(userId(), "admin");
    const { paymentId, settle } = await bankDebitAwaitingSettlement(h);
    await deliverDeadLetters(h.env, [settle]);
    const [row] = await rowsFor(settle.id);
    const replayOnce = () => h.fetch(`/payments/dead-letters/${row?.id}/replay`, { method: "POST", headers: admin });
    // Marked replayed just now, no outcome: a replay in progress holds it.
    await env.DB.prepare("UPDATE dead_letters SET status = 'replayed', replayed_at = ?2 WHERE id = ?1")
      .bind(row?.id, Date.now())
      .run();
    expect((await replayOnce()).status).toBe(409);
    expect((await h.rpc.get(paymentId))?.status).toBe("processing");
    // The same mark two minutes old: that replay died; this one takes over and applies it.
    await env.DB.prepare("UPDATE dead_letters SET replayed_at = ?2 WHERE id = ?1")
      .bind(row?.id, Date.now() - 120_000)
      .run();
    const taken = await replayOnce();
    expect(taken.status).toBe(200);
    expect(await taken.json()).toMatchObject({ replayOutcome: "applied" });
    expect((await h.rpc.get(paymentId))?.status).toBe("succeeded");
    expect((await replayOnce()).status).toBe(409);
  });

  it("a malformed dead letter is listed but never replayed (409); an unknown id → 404", async () => {
    const h = harness();
    const admin = await tokenFor(userId(), "admin");
    const body = { id: newId("event"), type: "payment_intent.exploded" };
    await deliverDeadLetters(h.env, [body]);
    const letter = await letterFor(h, body.id);
    expect(letter).toMatchObject({ status: "dead", replayable: false });
    const res = await h.fetch(`/payments/dead-letters/${letter?.id}/replay`, { method: "POST", headers: admin });
    expect(res.status).toBe(409);
    const unknown = await h.fetch(`/payments/dead-letters/${newId("deadLetter")}/replay`, {
      method: "POST",
      headers: admin,
    });
    expect(unknown.status).toBe(404);
  });
});
