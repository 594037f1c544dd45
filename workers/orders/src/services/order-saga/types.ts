import type {
  NotificationMessage,
  Order,
  OrderStatus,
  PaymentStatus,
  PriceBreakdown,
  ShippingAddress,
  TaxClass,
} from "@shop/contracts";
import type { StoredReturn } from "../returns/types";

/** Side effects the saga owes the world; each is retried from the alarm until it succeeds. */
export type TaskName =
  | "place"
  | "commit"
  | "release"
  | "restock"
  | "cancel_payment"
  | "refund"
  | "clear_cart"
  | "expire"
  /** Restock and refund every received return (ADR 0034). */
  | "returns"
  /** Give back the promotion uses the order claimed (ADR 0035); a no-op when there are none. */
  | "release_promotions";

/** Lower runs first: placing precedes everything, money and stock precede housekeeping. */
export const TASK_PRIORITY: Record<TaskName, number> = {
  place: 0,
  expire: 1,
  commit: 2,
  cancel_payment: 3,
  refund: 4,
  release: 5,
  restock: 6,
  clear_cart: 7,
  returns: 8,
  release_promotions: 9,
};

export type OrderRow = {
  id: string;
  /** The short number shown to people (ADR 0013); null only on an order placed before numbers existed. */
  number: number | null;
  user_id: string;
  status: OrderStatus;
  /** The market it is priced in (ADR 0032); null: placed before markets, or with none named (the default market). */
  market: string | null;
  currency: string | null;
  total: number | null;
  shipping_address: string;
  payment_method: string;
  payment_id: string | null;
  payment_status: PaymentStatus | null;
  amount_refunded: number;
  failure_message: string | null;
  reserved: number;
  refund_requested: number;
  carrier: string | null;
  tracking_number: string | null;
  shipped_at: string | null;
  deadline_at: number;
  reason: string | null;
  traceparent: string | null;
  created_at: string;
  updated_at: string;
  version: number;
  /** JSON of the `CreationOutcome`, once placing has ended. */
  creation: string | null;
  /** Deprecated: the first answer as HTTP, from releases before order migration 0001 (see `storedCreation`). */
  creation_status: number | null;
  creation_body: string | null;
  /** While the payment requires action (3-D Secure): where the shopper completes it. */
  next_action_url: string | null;
  /** The shopper's order page, where a 3-D Secure step sends them back. */
  return_url: string | null;
};

/** An order line per variant (ADR 0029); `sku` and `variant_label` are the variant's when priced. */
export type LineRow = {
  variant_id: string;
  product_id: string;
  variant_label: string;
  position: number;
  quantity: number;
  sku: string | null;
  name: string | null;
  unit_amount: number | null;
  currency: string | null;
  /** As quoted with the price; NULL: the checkout's defaults (ADR 0033). */
  weight_grams: number | null;
  tax_class: TaxClass | null;
  category_id: string | null;
};

type OrderPatch = Partial<
  Pick<
    OrderRow,
    | "status"
    | "currency"
    | "total"
    | "payment_id"
    | "payment_status"
    | "amount_refunded"
    | "failure_message"
    | "reserved"
    | "refund_requested"
    | "carrier"
    | "tracking_number"
    | "shipped_at"
    | "reason"
    | "creation"
    | "next_action_url"
  >
>;

type NotificationOf<T> = T extends { type: infer K; data: infer D } ? { type: K; data: D } : never;
type OrderNotification = NotificationOf<NotificationMessage>;

/** One atomic step of the order: applied in a single SQLite transaction with its outbox rows. */
export type Change = {
  patch?: OrderPatch;
  /** A timeline entry (its status is the order's status after the change). */
  event?: { type: string; detail?: Record<string, unknown> };
  notify?: OrderNotification;
  addTasks?: TaskName[];
  doneTasks?: TaskName[];
  processedEventId?: string;
  pricedLines?: {
    variantId: string;
    sku: string | null;
    variantLabel: string;
    name: string;
    unitAmount: number;
    currency: string;
    weightGrams: number | null;
    taxClass: TaxClass | null;
    categoryId: string | null;
  }[];
  /** The order's returns after the change (all of them), kept with the order (ADR 0034). */
  returns?: StoredReturn[];
  /** How the order's total was reached, priced when stock was held (ADR 0035). */
  breakdown?: PriceBreakdown;
  /**
   * The order's number, drawn while its stock is held (ADR 0013): stored only on an order that
   * has none, so an order never changes its number.
   */
  number?: number;
};

/** What the shopper chose on the checkout quote, priced again when stock is held (ADR 0035). */
export type CheckoutChoice = {
  shippingMethodId?: string;
  promoCode?: string;
  /** The grand total the shopper saw; absent (a deprecated client): not compared. */
  displayedTotal?: number;
};

export type PlaceInput = {
  orderId: string;
  userId: string;
  /** `variantId` absent: the product's default variant (a caller from before variants). */
  lines: { productId: string; variantId?: string; quantity: number }[];
  shippingAddress: ShippingAddress;
  paymentMethod: string;
  /** The market to price it in (ADR 0032): the cart's; absent, the default market. */
  market?: string;
  /** Absent or empty: the order is the sum of its lines (a client from before ADR 0035). */
  checkout?: CheckoutChoice;
  /** The storefront's page for this order (a 3-D Secure step returns there). */
  returnUrl?: string;
  requestId?: string;
  traceparent?: string;
};

/** Why an order could not be placed; nothing is held or charged for it. */
export type RefusalCode =
  | "unprocessable"
  | "insufficient_stock"
  | "service_unavailable"
  /** The total priced when stock was held is not the one the shopper saw (ADR 0035). */
  | "price_changed"
  /** A promotion of the order ran out before its use could be claimed. */
  | "conflict";

/**
 * How placing an order ended, stored once with the order (a domain outcome, never an HTTP
 * answer): every retry with the same Idempotency-Key is answered from it. `placed` keeps the
 * order as it was when placing ended; `refused` says why, per line where stock was missing.
 */
export type CreationOutcome =
  | { kind: "placed"; order: Order }
  | {
      kind: "refused";
      code: RefusalCode;
      detail: string;
      errors: { path: string; message: string }[];
      lines?: { productId: string; variantId?: string; requested: number; available: number; reason: string }[];
      /** With `price_changed`: the new pricing. */
      breakdown?: PriceBreakdown;
    };

/** What placing answers: how it ended (the stored outcome), or that the order is still being placed. */
export type PlaceOutcome =
  | { kind: "done"; creation: CreationOutcome; replayed: boolean }
  | { kind: "in_flight" }
  | { kind: "empty_cart" }
  /** The order id names another user's order (never reached through HTTP: ids are claimed per user). */
  | { kind: "forbidden" }
  | { kind: "accepted"; body: unknown };

/** What a payment event did to an order. */
export type PaymentEventOutcome = "applied" | "duplicate" | "stale" | "unknown_order";
