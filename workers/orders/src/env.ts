import type { NotificationMessage, PaymentsRpc, ProductsRpc, UsersRpc } from "@shop/contracts";
import type { AppEnv } from "@shop/runtime";

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

export type OrdersEnv = AppEnv<OrdersBindings>;
