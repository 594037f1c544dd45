import type { Order, ShipOrderBody } from "@shop/contracts";
import { Conflict, callerOf, Forbidden, NotFound } from "@shop/runtime";
import type { OrdersContext } from "../../env";
import type { CommandResult } from "../order-saga/context";
import { callMetaOf, orderStub } from "./order-stub";

function unwrap(result: CommandResult<Order>): Order {
  if (result.ok) return result.value;
  if (result.code === "not_found") throw new NotFound("The order");
  if (result.code === "forbidden") throw new Forbidden();
  throw new Conflict("invalid_transition", result.message);
}

/** Owner (or admin) cancels before shipping; refunds and stock follow from the order itself. */
export async function cancelOrder(ctx: OrdersContext, input: { id: string; reason?: string }): Promise<Order> {
  return unwrap(await orderStub(ctx.env, input.id).cancel(callerOf(ctx), input.reason, callMetaOf(ctx)));
}

/** Admin only (checked by the route): paid → shipped with carrier and tracking number. */
export async function shipOrder(ctx: OrdersContext, input: { id: string; shipment: ShipOrderBody }): Promise<Order> {
  return unwrap(await orderStub(ctx.env, input.id).ship(input.shipment, callerOf(ctx), callMetaOf(ctx)));
}

/** Admin only (checked by the route): shipped → delivered. */
export async function deliverOrder(ctx: OrdersContext, input: { id: string }): Promise<Order> {
  return unwrap(await orderStub(ctx.env, input.id).deliver(callerOf(ctx), callMetaOf(ctx)));
}
