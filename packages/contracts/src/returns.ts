import { z } from "zod";
import { OrderId, RefundId, ReturnId, UserId } from "./ids";
import { Currency, Money } from "./money";
import { Quantity } from "./products";

/** How long after delivery a customer may ask to return lines (ADR 0034). */
export const RETURN_WINDOW_DAYS = 30;
export const RETURN_WINDOW_MS = RETURN_WINDOW_DAYS * 24 * 60 * 60 * 1000;

export const ReturnReason = z.enum([
  "damaged",
  "defective",
  "wrong_item",
  "not_as_described",
  "no_longer_needed",
  "other",
]);
export type ReturnReason = z.infer<typeof ReturnReason>;

/** requested → approved | rejected; approved → received → refunded (received is brief: the refund follows). */
export const ReturnStatus = z.enum(["requested", "approved", "rejected", "received", "refunded"]);
export type ReturnStatus = z.infer<typeof ReturnStatus>;

/** A line of a return names the order line by its index in `order.lines` (0-based). */
export const ReturnLineInput = z.object({ line: z.int().min(0).max(49), quantity: Quantity }).strict();

export const RequestReturnBody = z
  .object({
    lines: z.array(ReturnLineInput).min(1).max(50),
    reason: ReturnReason,
    note: z.string().trim().max(500).optional(),
  })
  .strict()
  .refine((b) => new Set(b.lines.map((l) => l.line)).size === b.lines.length, {
    message: "each order line at most once",
    path: ["lines"],
  })
  .meta({ id: "RequestReturnBody" });
export type RequestReturnBody = z.infer<typeof RequestReturnBody>;

export const RejectReturnBody = z
  .object({ reason: z.string().trim().min(1).max(300) })
  .strict()
  .meta({ id: "RejectReturnBody" });
export type RejectReturnBody = z.infer<typeof RejectReturnBody>;

export const ReceiveReturnBody = z
  .object({
    /** Refund the returned lines' share of shipping too (an admin's call, e.g. the wrong item was sent). */
    refundShipping: z.boolean().optional(),
  })
  .strict()
  .meta({ id: "ReceiveReturnBody" });
export type ReceiveReturnBody = z.infer<typeof ReceiveReturnBody>;

export const ReturnLine = z.object({
  line: z.int().min(0),
  productId: z.string(),
  variantId: z.string().optional(),
  sku: z.string().nullable(),
  name: z.string(),
  quantity: Quantity,
  unitPrice: Money,
});
export type ReturnLine = z.infer<typeof ReturnLine>;

export const Return = z
  .object({
    id: ReturnId,
    orderId: OrderId,
    orderNumber: z.int().nullable(),
    userId: UserId,
    status: ReturnStatus,
    lines: z.array(ReturnLine),
    reason: ReturnReason,
    note: z.string().nullable(),
    rejection: z.string().nullable(),
    refundShipping: z.boolean(),
    /** Set when received: what goes back (the returned lines' share of what was paid). */
    refundAmount: Money.nullable(),
    refundId: RefundId.nullable(),
    requestedAt: z.iso.datetime(),
    decidedAt: z.iso.datetime().nullable(),
    receivedAt: z.iso.datetime().nullable(),
    refundedAt: z.iso.datetime().nullable(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: "Return" });
export type Return = z.infer<typeof Return>;

export const ReturnList = z.object({ items: z.array(Return) }).meta({ id: "ReturnList" });
export type ReturnList = z.infer<typeof ReturnList>;

/** Notification data of the return messages. */
export const ReturnNotice = z.object({
  orderId: OrderId,
  number: z.int().min(1).optional(),
  returnId: ReturnId,
  items: z.array(z.object({ name: z.string().max(200), quantity: Quantity })).max(50),
});
export const ReturnRefundNotice = ReturnNotice.extend({ amount: z.int().min(0), currency: Currency });
