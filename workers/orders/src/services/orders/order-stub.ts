import type { OrdersBindings } from "../../env";

/** Each order id names exactly one OrderDO. */
export function orderStub(env: Pick<OrdersBindings, "ORDER">, orderId: string) {
  return env.ORDER.get(env.ORDER.idFromName(orderId));
}
