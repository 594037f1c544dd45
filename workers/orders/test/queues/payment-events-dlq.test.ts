import { createExecutionContext, createMessageBatch, env, getQueueResult } from "cloudflare:test";
import { type Order, type PaymentEvent, TEST_PAYMENT_METHODS } from "@shop/contracts";
import { newId } from "@shop/runtime";
import { afterEach, describe, expect, it, vi } from "vitest";
import worker from "../../src/index";
import {
  call,
  checkout,
  createProduct,
  getOrder,
  problem,
  type Shopper,
  shopper,
  stockOf,
  untilStatus,
} from "../helpers";

/**
 * `payment-events-dlq`: a payment event that exhausted its retries is recorded once, logged as an
 * error and acked; an admin lists it and replays it into the order through the live consumer's
 * path, once.
 */

afterEach(() => vi.restoreAllMocks());

/** Delivers messages to the worker's dead-letter consumer, as the DLQ would (`-staging` suffix included). */
async function deliverDeadLetters(bodies: unknown[], queue = "payment-events-dlq") {
  const batch = createMessageBatch(
    queue,
    bodies.map((body, i) => ({ id: `dlq-${i}-${crypto.randomUUID()}`, timestamp: new Date(), attempts: 1, body })),
  );
  const ctx = createExecutionContext();
  await worker.queue(batch, env as never, ctx as never);
  return getQueueResult(batch, ctx);
}

type Row = { id: string; message_id: string | null; deliveries: number; status: string; queue: string };

async function rowsFor(messageId: string): Promise<Row[]> {
  const { results } = await env.DB.prepare(
    "SELECT id, message_id, deliveries, status, queue FROM dead_letters WHERE message_id = ?1",
  )
    .bind(messageId)
    .all<Row>();
  return results;
}

/** The `payment.succeeded` the payments worker would send for this order's payment. */
function successEvent(order: Order, who: Shopper): PaymentEvent {
  return {
    id: newId("event"),
    type: "payment.status_changed",
    version: 1,
    occurredAt: new Date().toISOString(),
    data: {
      paymentId: order.payment.paymentId ?? "",
      orderId: order.id,
      userId: who.userId,
      status: "succeeded",
      amount: order.total?.amount ?? 0,
      currency: order.total?.currency ?? "USD",
      amountRefunded: 0,
      failureMessage: null,
    },
  };
}

const listDeadLetters = (token: string, query = "") => call("GET", `/orders/dead-letters${query}`, { token });
const replay = (token: string, id: string, body?: unknown) =>
  call("POST", `/orders/dead-letters/${id}/replay`, { token, ...(body === undefined ? {} : { body }) });

describe("payment-events-dlq consumer", () => {
  it("records a dead event once however often it is delivered, logs an error, and acks every delivery", async () => {
    const errors = vi.spyOn(console, "error");
    const event = { id: newId("event"), type: "payment.status_changed", version: 1, data: { orderId: "ord_x" } };
    const first = await deliverDeadLetters([event, event]);
    const again = await deliverDeadLetters([event], "payment-events-dlq-staging");

    expect(first.explicitAcks).toHaveLength(2);
    expect(again.explicitAcks).toHaveLength(1);
    expect([...first.retryMessages, ...again.retryMessages]).toHaveLength(0);
    const rows = await rowsFor(event.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ queue: "payment-events", deliveries: 3, status: "dead" });
    const lines = errors.mock.calls.map((args) => JSON.parse(String(args[0])));
    expect(lines).toContainEqual(
      expect.objectContaining({ level: "error", msg: "dead letter recorded", messageId: event.id }),
    );
  });

  it("records a body with no id under the delivery's id, and never replays it (409)", async () => {
    await deliverDeadLetters(["not json at all"]);
    const admin = await shopper("admin");
    const page = (await (await listDeadLetters(admin.token, "?status=dead&limit=100")).json()) as {
      items: { id: string; body: unknown; replayable: boolean }[];
    };
    const letter = page.items.find((i) => i.body === "not json at all");
    expect(letter?.replayable).toBe(false);
    const res = await replay(admin.token, letter?.id ?? "");
    expect(res.status).toBe(409);
    expect((await problem(res)).code).toBe("conflict");
  });
});

describe("GET /orders/dead-letters and replay", () => {
  it("no token → 401; a customer → 403 on both routes; nothing is replayed", async () => {
    const event = { id: newId("event"), type: "payment.status_changed" };
    await deliverDeadLetters([event]);
    const [row] = await rowsFor(event.id);
    const customer = await shopper();

    const anonymous = await call("GET", "/orders/dead-letters");
    expect(anonymous.status).toBe(401);
    expect((await problem(anonymous)).code).toBe("unauthorized");
    expect((await call("POST", `/orders/dead-letters/${row?.id}/replay`)).status).toBe(401);

    const refused = await listDeadLetters(customer.token);
    expect(refused.status).toBe(403);
    expect((await problem(refused)).code).toBe("forbidden");
    const refusedReplay = await replay(customer.token, row?.id ?? "");
    expect(refusedReplay.status).toBe(403);
    expect((await rowsFor(event.id))[0]?.status).toBe("dead");
  });

  it("an unknown id → 404, a malformed id → 400, a bad cursor → 400", async () => {
    const admin = await shopper("admin");
    expect((await replay(admin.token, newId("deadLetter"))).status).toBe(404);
    expect((await replay(admin.token, "ord_nope")).status).toBe(400);
    expect((await listDeadLetters(admin.token, "?cursor=%21%21")).status).toBe(400);
  });

  it("replaying a dead-lettered success moves an awaiting_payment order to paid; a second replay → 409", async () => {
    const me = await shopper();
    const admin = await shopper("admin");
    const kettle = await createProduct({ stock: 5 });
    // 3-D Secure never completed: nothing else will ever settle this payment, so only the
    // replayed event can move the order (the test fails if replay does nothing).
    const method = TEST_PAYMENT_METHODS.authenticationRequired[0];
    const placed = await checkout(me, [{ productId: kettle, quantity: 2 }], method);
    const awaiting = await untilStatus(me, placed.id, "awaiting_payment");
    expect(await stockOf(kettle)).toEqual({ onHand: 5, reserved: 2 });

    const event = successEvent(awaiting, me);
    const delivered = await deliverDeadLetters([event]);
    expect(delivered.explicitAcks).toHaveLength(1);
    // Recording it changed nothing: the order still waits for its money.
    expect((await getOrder(me, placed.id)).status).toBe("awaiting_payment");

    const listed = await listDeadLetters(admin.token, "?status=dead&limit=100");
    expect(listed.status).toBe(200);
    const page = (await listed.json()) as { items: { id: string; messageId: string; replayable: boolean }[] };
    const letter = page.items.find((i) => i.messageId === event.id);
    expect(letter).toMatchObject({ replayable: true });

    // An empty JSON body is as good as none (clients often send one with a POST).
    const replayed = await replay(admin.token, letter?.id ?? "", {});
    expect(replayed.status).toBe(200);
    expect(await replayed.json()).toMatchObject({
      status: "replayed",
      replayOutcome: "applied",
      replayedBy: admin.userId,
    });

    const paid = await untilStatus(me, placed.id, "paid");
    expect(paid.timeline.filter((e) => e.type === "order.paid")).toHaveLength(1);
    expect(await stockOf(kettle)).toEqual({ onHand: 3, reserved: 0 });

    const second = await replay(admin.token, letter?.id ?? "");
    expect(second.status).toBe(409);
    expect((await problem(second)).detail).toContain("already replayed");
    expect((await getOrder(me, placed.id)).timeline.filter((e) => e.type === "order.paid")).toHaveLength(1);
    const done = (await (await listDeadLetters(admin.token, "?status=replayed&limit=100")).json()) as {
      items: { messageId: string; replayable: boolean }[];
    };
    expect(done.items.find((i) => i.messageId === event.id)).toMatchObject({ replayable: false });
  });
});
