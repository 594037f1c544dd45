import type { CallMeta, Order, Principal, ShipOrderBody } from "@shop/contracts";
import { AppError, forbidden, notFound } from "@shop/runtime";
import type { OrdersBindings } from "../../env";
import type { CommandResult } from "../order-saga/context";
import { orderStub } from "./order-stub";

function unwrap(result: CommandResult<Order>): Order {
  if (result.ok) return result.value;
  if (result.code === "not_found") throw notFound("The order");
  if (result.code === "forbidden") throw forbidden();
  throw new AppError(409, "invalid_transition", result.message);
}

/** Owner (or admin) cancels before shipping; refunds and stock follow from the order itself. */
export async function cancelOrder(
  env: Pick<OrdersBindings, "ORDER">,
  principal: Principal,
  orderId: string,
  reason: string | undefined,
  meta: CallMeta,
): Promise<Order> {
  return unwrap(await orderStub(env, orderId).cancel(principal, reason, meta));
}

/** Admin only (checked by the route): paid → shipped with carrier and tracking number. */
export async function shipOrder(
  env: Pick<OrdersBindings, "ORDER">,
  principal: Principal,
  orderId: string,
  body: ShipOrderBody,
  meta: CallMeta,
): Promise<Order> {
  return unwrap(await orderStub(env, orderId).ship(body, principal, meta));
}

/** Admin only (checked by the route): shipped → delivered. */
export async function deliverOrder(
  env: Pick<OrdersBindings, "ORDER">,
  principal: Principal,
  orderId: string,
  meta: CallMeta,
): Promise<Order> {
  return unwrap(await orderStub(env, orderId).deliver(principal, meta));
}
