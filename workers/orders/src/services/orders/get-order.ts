import type { Order } from "@shop/contracts";
import { callerOf, NotFound } from "@shop/runtime";
import type { OrdersContext } from "../../env";
import { orderStub } from "./order-stub";

/** Read from the OrderDO (the source of truth, always fresh). Someone else's order is a plain 404. */
export async function getOrder(ctx: OrdersContext, input: { id: string }): Promise<Order> {
  const principal = callerOf(ctx);
  // RPC typing cannot express `unknown` detail values; the DO returns exactly an Order.
  // The DO checks the caller itself; the check here stays so a DO bug alone leaks nothing.
  const order = (await orderStub(ctx.env, input.id).viewFor(principal)) as Order | null;
  if (!order || (order.userId !== principal.userId && principal.role !== "admin")) throw new NotFound("The order");
  return order;
}
