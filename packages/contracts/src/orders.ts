import { z } from "zod";

export const OrderStatus = z.enum([
  "pending",
  "awaiting_payment",
  "paid",
  "shipped",
  "delivered",
  "rejected",
  "payment_failed",
  "expired",
  "cancelled",
  "refunded",
]);
export type OrderStatus = z.infer<typeof OrderStatus>;

/** Idempotency-Key header: printable, bounded (Stripe allows up to 255). */
export const IdempotencyKey = z
  .string()
  .min(8, "Idempotency-Key must be 8..255 printable characters")
  .max(255, "Idempotency-Key must be 8..255 printable characters")
  .regex(/^[\x21-\x7e]+$/, "Idempotency-Key must be 8..255 printable characters");

export const CART_ID_HEADER = "x-cart-id";
export const CART_COOKIE = "cart_id";
export const MAX_CART_LINES = 50;
