import { z } from "@hono/zod-openapi";
import { OrderId } from "@shop/contracts";

export const OrderParams = z.object({ id: OrderId });
