import type { CallMeta } from "@shop/contracts";
import type { OrdersBindings } from "../../env";
import type { OrderStore } from "./store";

/** What every saga step gets: the order's storage, the neighbours, and the ids to pass on. */
export type SagaContext = {
  store: OrderStore;
  env: OrdersBindings;
  meta: () => CallMeta;
  now: () => Date;
};

/** Expected business outcomes thrown by commands, mapped to HTTP by the route. */
export type CommandResult<T> =
  | { ok: true; value: T }
  | { ok: false; code: "not_found" | "forbidden" | "invalid_transition"; message: string };

/** Terminal states no payment event may move. */
export const CLOSED_WITHOUT_SALE = new Set(["rejected", "payment_failed", "expired", "cancelled", "refunded"]);
