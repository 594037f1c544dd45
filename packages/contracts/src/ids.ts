import { z } from "zod";

/**
 * Every entity id is `<prefix>_<ULID>`: sortable by creation time, 80 random bits,
 * and the prefix says what it is. The ULID is lower-cased for URLs.
 */
export const ID_PREFIXES = {
  user: "usr",
  product: "prd",
  category: "cat",
  cart: "crt",
  order: "ord",
  payment: "pay",
  refund: "ref",
  notification: "ntf",
  event: "evt",
  message: "msg",
  reservation: "rsv",
  deadLetter: "dlq",
  reconciliation: "rcn",
  image: "img",
  address: "adr",
  variant: "var",
  return: "ret",
  promotion: "prm",
} as const;

export type IdKind = keyof typeof ID_PREFIXES;
export type IdPrefix = (typeof ID_PREFIXES)[IdKind];

const ULID_BODY = "[0-9a-hjkmnp-tv-z]{26}";

export function idPattern(prefix: IdPrefix): RegExp {
  return new RegExp(`^${prefix}_${ULID_BODY}$`);
}

export function idSchema(kind: IdKind) {
  const prefix = ID_PREFIXES[kind];
  return z
    .string()
    .regex(idPattern(prefix), `must be a ${kind} id (${prefix}_…)`)
    .meta({ example: `${prefix}_01jd8x3v4k2m9q7r5t6w8y0zab` });
}

export const UserId = idSchema("user");
export const ProductId = idSchema("product");
export const CategoryId = idSchema("category");
export const CartId = idSchema("cart");
export const OrderId = idSchema("order");
export const PaymentId = idSchema("payment");
export const RefundId = idSchema("refund");
export const ReturnId = idSchema("return");
export const NotificationId = idSchema("notification");
export const ImageId = idSchema("image");
export const VariantId = idSchema("variant");
