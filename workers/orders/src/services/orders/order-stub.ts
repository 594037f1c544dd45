import type { CallMeta } from "@shop/contracts";
import type { OrdersBindings, OrdersContext } from "../../env";

/** Each order id names exactly one OrderDO. */
export function orderStub(env: Pick<OrdersBindings, "ORDER">, orderId: string) {
  return env.ORDER.get(env.ORDER.idFromName(orderId));
}

/** The ids a call to an object or a neighbour carries on (the request's own). */
export function callMetaOf(ctx: Pick<OrdersContext, "meta">): CallMeta {
  return { requestId: ctx.meta.requestId, traceparent: ctx.meta.traceparent };
}
