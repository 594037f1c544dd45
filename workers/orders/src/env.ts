import type { NotificationMessage, PaymentsRpc, ProductsRpc, UsersRpc } from "@shop/contracts";
import type { ServiceContext, ServiceEnv } from "@shop/runtime";
import type { Db } from "./db/client";

/**
 * The worker's bindings, with the service bindings typed by the callee's contract
 * (never by the callee's code) and the queue typed by its message.
 */
export type OrdersBindings = Omit<Env, "USERS" | "PRODUCTS" | "PAYMENTS" | "NOTIFICATIONS"> & {
  USERS: UsersRpc;
  PRODUCTS: ProductsRpc;
  PAYMENTS: PaymentsRpc;
  NOTIFICATIONS: Queue<NotificationMessage>;
};

/** The Hono env: bindings, the shared variables and `ctx` (ADR 0021). */
export type OrdersEnv = ServiceEnv<OrdersBindings, Db>;
/** What every orders service verb gets first. */
export type OrdersContext = ServiceContext<Db, OrdersBindings>;
