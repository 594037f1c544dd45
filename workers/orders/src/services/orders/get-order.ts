import type { Order, Principal } from "@shop/contracts";
import { notFound } from "@shop/runtime";
import type { OrdersBindings } from "../../env";
import { orderStub } from "./order-stub";

/** Read from the OrderDO (the source of truth, always fresh). Someone else's order is a plain 404. */
export async function getOrder(
  env: Pick<OrdersBindings, "ORDER">,
  principal: Principal,
  orderId: string,
): Promise<Order> {
  // RPC typing cannot express `unknown` detail values; the DO returns exactly an Order.
  // The DO checks the caller itself; the check here stays so a DO bug alone leaks nothing.
  const order = (await orderStub(env, orderId).viewFor(principal)) as Order | null;
  if (!order || (order.userId !== principal.userId && principal.role !== "admin")) throw notFound("The order");
  return order;
}
