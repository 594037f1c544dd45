import { z } from "zod";
import { OrderId, UserId } from "./ids";
import { Currency, MinorUnits, Money } from "./money";

const OrderLineSummary = z.object({ name: z.string().max(200), quantity: z.int().min(1), unitPrice: Money });

/** Data each notification type carries. Templates render exactly these fields. */
export const NotificationData = {
  "user.registered": z.object({ name: z.string().max(100) }),
  "order.confirmed": z.object({ orderId: OrderId, total: Money, lines: z.array(OrderLineSummary).max(50) }),
  "payment.failed": z.object({ orderId: OrderId, reason: z.string().max(300).nullable() }),
  "order.shipped": z.object({ orderId: OrderId, carrier: z.string().max(100), trackingNumber: z.string().max(100) }),
  "order.delivered": z.object({ orderId: OrderId }),
  "order.cancelled": z.object({ orderId: OrderId, reason: z.string().max(300).nullable() }),
  "order.refunded": z.object({ orderId: OrderId, amount: MinorUnits, currency: Currency }),
  "order.expired": z.object({ orderId: OrderId }),
  /** Admin ad-hoc message. */
  "admin.message": z.object({ subject: z.string().min(1).max(200), body: z.string().min(1).max(5000) }),
} as const;

export type NotificationType = keyof typeof NotificationData;
export const NotificationType = z.enum(Object.keys(NotificationData) as [NotificationType, ...NotificationType[]]);

/** Types a user may opt out of; everything else is transactional email and always sent by email. */
export const OPTIONAL_TYPES: readonly NotificationType[] = ["admin.message"];

export const Channel = z.enum(["email", "sms"]);
export type Channel = z.infer<typeof Channel>;

/**
 * A message on the `notifications` queue: the common envelope plus the user it is for.
 * `id` is unique per event: the consumer sends each (id, channel) at most once.
 */
export const NotificationMessage = z.discriminatedUnion(
  "type",
  (Object.keys(NotificationData) as NotificationType[]).map((type) =>
    z.object({
      id: z.string().min(1).max(100),
      type: z.literal(type),
      version: z.literal(1),
      occurredAt: z.iso.datetime(),
      traceparent: z.string().max(100).optional(),
      userId: UserId,
      /** Channels to use; default: by the user's preferences. */
      channels: z.array(Channel).min(1).optional(),
      data: NotificationData[type],
    }),
  ) as unknown as [z.ZodObject, ...z.ZodObject[]],
);
export type NotificationMessage = {
  [T in NotificationType]: {
    id: string;
    type: T;
    version: 1;
    occurredAt: string;
    traceparent?: string;
    userId: string;
    channels?: Channel[];
    data: z.infer<(typeof NotificationData)[T]>;
  };
}[NotificationType];
