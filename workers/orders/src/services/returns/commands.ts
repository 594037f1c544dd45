import { type Currency, RETURN_WINDOW_DAYS, RETURN_WINDOW_MS, type RequestReturnBody } from "@shop/contracts";
import type { SagaContext } from "../order-saga/context";
import type { Change } from "../order-saga/types";
import { returnShare } from "./share";
import { returnLineOf, type StoredReturn, stockLineOf } from "./types";

/** How a return command ended; the worker maps the failures to problems. */
export type ReturnResult =
  | { ok: true; value: StoredReturn }
  | {
      ok: false;
      code: "not_found" | "forbidden" | "invalid_transition" | "conflict" | "unprocessable";
      message: string;
      errors?: { path: string; message: string }[];
    };

const fail = (
  code: "invalid_transition" | "conflict" | "unprocessable" | "not_found",
  message: string,
  errors?: { path: string; message: string }[],
) => ({ ok: false as const, code, message, ...(errors ? { errors } : {}) });

/** Units of each order line already in a return that is not rejected (requested or later). */
function unitsInReturns(returns: readonly StoredReturn[], counted: (r: StoredReturn) => boolean): Map<number, number> {
  const units = new Map<number, number>();
  for (const r of returns.filter(counted)) {
    for (const l of r.lines) units.set(l.line, (units.get(l.line) ?? 0) + l.quantity);
  }
  return units;
}

function deliveredAt(ctx: SagaContext): number | null {
  const delivered = ctx.store.timeline().findLast((e) => e.type === "order.delivered");
  return delivered ? Date.parse(delivered.at) : null;
}

/** The message data every return email carries. */
function notice(ctx: SagaContext, r: StoredReturn) {
  return {
    orderId: ctx.store.row().id,
    returnId: r.id,
    items: r.lines.map((l) => ({ name: l.name.slice(0, 200), quantity: l.quantity })),
  };
}

function replace(returns: readonly StoredReturn[], next: StoredReturn): StoredReturn[] {
  return returns.map((r) => (r.id === next.id ? next : r));
}

function changed(r: StoredReturn, patch: Partial<StoredReturn>, at: string): StoredReturn {
  return { ...r, ...patch, updatedAt: at, version: r.version + 1 };
}

/**
 * The owner asks to return units of a delivered order within the window. Idempotent by
 * `returnId` (drawn once per Idempotency-Key): asking again answers the return already made.
 */
export function requestReturn(ctx: SagaContext, returnId: string, body: RequestReturnBody): ReturnResult {
  const all = ctx.store.returns();
  const existing = all.find((r) => r.id === returnId);
  if (existing) return { ok: true, value: existing };
  const row = ctx.store.row();
  if (row.status !== "delivered")
    return fail("invalid_transition", `Only delivered orders can be returned; this one is ${row.status}.`);
  const since = deliveredAt(ctx);
  const now = ctx.now();
  if (since === null || now.getTime() - since > RETURN_WINDOW_MS) {
    return fail(
      "conflict",
      `Returns are accepted for ${RETURN_WINDOW_DAYS} days after delivery; this order's window has closed.`,
    );
  }
  const lines = ctx.store.lines();
  const taken = unitsInReturns(all, (r) => r.status !== "rejected");
  const errors: { path: string; message: string }[] = [];
  body.lines.forEach((l, i) => {
    const line = lines[l.line];
    if (!line) {
      errors.push({ path: `lines.${i}.line`, message: `the order has no line ${l.line}` });
      return;
    }
    const left = line.quantity - (taken.get(l.line) ?? 0);
    if (l.quantity > left)
      errors.push({ path: `lines.${i}.quantity`, message: `at most ${left} can still be returned` });
  });
  if (errors.length) return fail("unprocessable", "Some lines cannot be returned in these quantities.", errors);
  const at = now.toISOString();
  const created: StoredReturn = {
    id: returnId,
    status: "requested",
    lines: body.lines.map((l) =>
      returnLineOf(lines[l.line] as (typeof lines)[number], l.line, l.quantity, row.currency ?? "USD"),
    ),
    reason: body.reason,
    note: body.note?.trim() || null,
    rejection: null,
    refundShipping: false,
    refundAmount: null,
    refundId: null,
    restocked: false,
    requestedAt: at,
    decidedAt: null,
    receivedAt: null,
    refundedAt: null,
    updatedAt: at,
    version: 1,
  };
  ctx.store.apply(
    {
      returns: [...all, created],
      event: { type: "return.requested", detail: { returnId, reason: body.reason } },
      notify: { type: "return.requested", data: notice(ctx, created) },
    },
    now,
  );
  return { ok: true, value: created };
}

export type ReturnAction =
  | { kind: "approve" }
  | { kind: "reject"; reason: string }
  | { kind: "receive"; refundShipping: boolean };

/** Where each action leads, and the states from which it is a repeat (answered as it is). */
const MOVES = {
  approve: { from: "requested", to: "approved", repeats: ["approved", "received", "refunded"] },
  reject: { from: "requested", to: "rejected", repeats: ["rejected"] },
  receive: { from: "approved", to: "received", repeats: ["received", "refunded"] },
} as const;

/**
 * An admin moves a return on. A repeat of a step already taken answers the return as it is
 * (no second email, refund or restock); any other state is a conflict.
 */
export function actOnReturn(ctx: SagaContext, returnId: string, action: ReturnAction): ReturnResult {
  const all = ctx.store.returns();
  const r = all.find((x) => x.id === returnId);
  if (!r) return fail("not_found", "The return was not found.");
  const move = MOVES[action.kind];
  if ((move.repeats as readonly string[]).includes(r.status)) return { ok: true, value: r };
  if (r.status !== move.from) return fail("invalid_transition", `A return that is ${r.status} cannot be ${move.to}.`);
  const now = ctx.now();
  const at = now.toISOString();
  let change: Change;
  let next: StoredReturn;
  if (action.kind === "approve") {
    next = changed(r, { status: "approved", decidedAt: at }, at);
    change = { notify: { type: "return.approved", data: notice(ctx, next) } };
  } else if (action.kind === "reject") {
    next = changed(r, { status: "rejected", decidedAt: at, rejection: action.reason }, at);
    change = { notify: { type: "return.rejected", data: { ...notice(ctx, next), reason: action.reason } } };
  } else {
    const row = ctx.store.row();
    // With a breakdown (ADR 0035) each line brings what was paid for it (its discount off, its
    // tax in) and shipping what was charged for it; without, the total is the lines' sum.
    const breakdown = ctx.store.breakdown();
    const paidFor = new Map(breakdown?.lines.map((l) => [l.lineId, l.total]));
    const lines = ctx.store.lines().map((l) => {
      const paid = paidFor.get(l.variant_id);
      return { unitAmount: l.unit_amount ?? 0, quantity: l.quantity, ...(paid !== undefined ? { paid } : {}) };
    });
    const shipping = breakdown
      ? breakdown.shipping.cost + (breakdown.shipping.taxInclusive ? 0 : breakdown.shipping.tax)
      : 0;
    const amount = returnShare({
      lines,
      paid: breakdown ? (row.total ?? 0) - shipping : (row.total ?? 0),
      shipping,
      before: unitsInReturns(all, (x) => x.status === "received" || x.status === "refunded"),
      returned: unitsInReturns([r], () => true),
      includeShipping: action.refundShipping,
    });
    next = changed(
      r,
      { status: "received", receivedAt: at, refundAmount: amount, refundShipping: action.refundShipping },
      at,
    );
    change = { addTasks: ["returns"] };
  }
  ctx.store.apply(
    {
      ...change,
      returns: replace(all, next),
      event: { type: `return.${next.status}`, detail: { returnId } },
    },
    now,
  );
  return { ok: true, value: next };
}

/** Refund key: one refund per return, however often the task retries. */
export const returnRefundKey = (returnId: string) => `return-refund:${returnId}`;

/**
 * The saga's `returns` task: for every received return, put its units back on the shelf
 * (idempotent by return id in products), then refund its share (idempotent by the return's
 * key in payments) and mark it refunded. A failed call throws; the alarm retries with backoff.
 */
export async function returnsTask(ctx: SagaContext): Promise<void> {
  const { store } = ctx;
  for (const id of store
    .returns()
    .filter((r) => r.status === "received")
    .map((r) => r.id)) {
    let r = store.returns().find((x) => x.id === id) as StoredReturn;
    if (!r.restocked) {
      await ctx.env.PRODUCTS.restockReturn(r.id, r.lines.map(stockLineOf), ctx.meta());
      const at = ctx.now().toISOString();
      r = changed(r, { restocked: true }, at);
      store.apply({
        returns: replace(store.returns(), r),
        event: { type: "stock.returned", detail: { returnId: id } },
      });
    }
    const row = store.row();
    const amount = r.refundAmount ?? 0;
    let refundId: string | null = null;
    let patch: Change["patch"] = {};
    if (amount > 0 && row.payment_id) {
      const result = await ctx.env.PAYMENTS.refund(
        { paymentId: row.payment_id, amount, reason: `Return ${id}`, idempotencyKey: returnRefundKey(id) },
        ctx.meta(),
      );
      if (!result.ok) throw new Error(`return refund refused: ${result.code} ${result.message}`);
      refundId = result.refundId;
      patch = {
        amount_refunded: Math.max(result.payment.amountRefunded, row.amount_refunded),
        payment_status: result.payment.status,
      };
    }
    const at = ctx.now().toISOString();
    const done = changed(r, { status: "refunded", refundId, refundedAt: at }, at);
    store.apply({
      patch,
      returns: replace(store.returns(), done),
      event: { type: "return.refunded", detail: { returnId: id, amount } },
      notify: {
        type: "return.refunded",
        data: { ...notice(ctx, done), amount, currency: (row.currency ?? done.lines[0]?.currency) as Currency },
      },
    });
  }
  store.apply({ doneTasks: ["returns"] });
}
