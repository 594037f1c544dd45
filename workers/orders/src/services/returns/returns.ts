import type { RequestReturnBody, Return, ReturnStatus } from "@shop/contracts";
import {
  AppError,
  Conflict,
  callerOf,
  claimIdempotent,
  Forbidden,
  NotFound,
  newId,
  requestFingerprint,
} from "@shop/runtime";
import type { ReturnAnswer } from "../../durable-objects/order";
import type { OrdersContext } from "../../env";
import { callMetaOf, orderStub } from "../orders/order-stub";
import type { ReturnAction } from "./commands";
import { listReturns, orderOfReturn } from "./project-returns";

function unwrap(answer: ReturnAnswer, what: string): Return {
  if (answer.ok) return answer.value;
  if (answer.code === "not_found") throw new NotFound(what);
  if (answer.code === "forbidden") throw new Forbidden(answer.message);
  if (answer.code === "unprocessable") throw new AppError(422, "unprocessable", answer.message, answer.errors);
  throw new Conflict(answer.code, answer.message);
}

/**
 * `POST /orders/{id}/returns` with the Idempotency-Key semantics of `POST /orders`: the key (per
 * user and order) is claimed for one return id, and the order answers the same return for every
 * retry; another body with the key → 422, while the first is still running → 409.
 */
export async function requestReturnFor(
  ctx: OrdersContext,
  input: { orderId: string; idempotencyKey: string; body: RequestReturnBody },
): Promise<{ value: Return; replayed: boolean }> {
  const principal = callerOf(ctx);
  const claim = await claimIdempotent(
    ctx.env.DB,
    {
      scope: `return:${principal.userId}:${input.orderId}`,
      key: input.idempotencyKey,
      fingerprint: await requestFingerprint(input.body),
    },
    { returnId: newId("return") },
  );
  const answer = (await orderStub(ctx.env, input.orderId).requestReturn(
    principal,
    claim.value.returnId,
    input.body,
    callMetaOf(ctx),
  )) as ReturnAnswer;
  return { value: unwrap(answer, "The order"), replayed: claim.replayed };
}

export async function orderReturns(ctx: OrdersContext, orderId: string): Promise<Return[]> {
  const found = (await orderStub(ctx.env, orderId).returnsFor(callerOf(ctx))) as Return[] | null;
  if (!found) throw new NotFound("The order");
  return found;
}

/** Admin: returns by status, newest first (the D1 index the orders keep current). */
export async function allReturns(
  ctx: OrdersContext,
  query: { status?: ReturnStatus; limit: number },
): Promise<Return[]> {
  return listReturns(ctx.env.DB, query.status, query.limit);
}

/** Admin: approve, reject or receive a return, through the order that owns it. */
export async function actOnReturnFor(ctx: OrdersContext, returnId: string, action: ReturnAction): Promise<Return> {
  const orderId = await orderOfReturn(ctx.env.DB, returnId);
  if (!orderId) throw new NotFound("The return");
  const answer = (await orderStub(ctx.env, orderId).actOnReturn(
    callerOf(ctx),
    returnId,
    action,
    callMetaOf(ctx),
  )) as ReturnAnswer;
  return unwrap(answer, "The return");
}
