import { z } from "zod";
import { NotificationId, OrderId, UserId } from "./ids";
import { Currency, MinorUnits, Money } from "./money";
import { ReturnNotice, ReturnRefundNotice } from "./returns";

const OrderLineSummary = z.object({ name: z.string().max(200), quantity: z.int().min(1), unitPrice: Money });

/**
 * The order's number for people (`#10042`, ADR 0013). Optional in every order message: one
 * queued before numbers existed has none, and templates then name the order by its id.
 */
const number = z.int().min(1).optional();

/** Data each notification type carries. Templates render exactly these fields. */
/** The receipt's summary of an order's `PriceBreakdown`: what the confirmation prints. */
export const ReceiptBreakdown = z.object({
  subtotal: MinorUnits,
  /** Every discount together, and the codes entered (automatic promotions have none). */
  discount: MinorUnits,
  codes: z.array(z.string().max(64)).max(10),
  shipping: z.object({ methodId: z.string().max(64), name: z.string().max(100), amount: MinorUnits }),
  /** Every tax; `inclusive`: inside the prices (VAT), else added on top (US sales tax). */
  tax: z.object({ amount: MinorUnits, inclusive: z.boolean() }),
  total: MinorUnits,
});
export type ReceiptBreakdown = z.infer<typeof ReceiptBreakdown>;

export const NotificationData = {
  /** The welcome message: sent once the email address is verified (not at sign-up). */
  "user.registered": z.object({ name: z.string().max(100) }),
  /** The verification link for the account's address; the token is single-use and expires. */
  "user.email_verification": z.object({
    token: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
    expiresAt: z.iso.datetime(),
  }),
  /** "Someone tried to register with your email": to the owner of an address already registered. */
  "user.registration_attempt": z.object({}),
  /**
   * A one-time code for the phone being verified: the only SMS that may go to an unverified
   * number, and only to `phone` while it is still the account's number.
   */
  "user.phone_code": z.object({
    code: z.string().regex(/^\d{6}$/),
    phone: z.string().regex(/^\+[1-9]\d{6,14}$/),
    expiresAt: z.iso.datetime(),
  }),
  "order.confirmed": z.object({
    orderId: OrderId,
    number,
    total: Money,
    lines: z.array(OrderLineSummary).max(50),
    /**
     * How the total was reached (ADR 0035), the order's own figures in `total.currency` minor
     * units; absent for an order priced as the sum of its lines (and messages from before).
     */
    breakdown: ReceiptBreakdown.optional(),
  }),
  "payment.failed": z.object({
    orderId: OrderId,
    number,
    reason: z.string().max(300).nullable(),
    /** The gateway's decline or error code (Stripe's, e.g. `card_declined`); worded when `reason` is null. */
    failureCode: z.string().max(100).nullable().optional(),
  }),
  "order.shipped": z.object({
    orderId: OrderId,
    number,
    carrier: z.string().max(100),
    trackingNumber: z.string().max(100),
  }),
  "order.delivered": z.object({ orderId: OrderId, number }),
  // The money fields below are optional so that messages queued before they existed still parse;
  // without them a template says only what is true whatever happened to the money.
  "order.cancelled": z
    .object({
      orderId: OrderId,
      number,
      reason: z.string().max(300).nullable(),
      /** "none": no money was taken; "refunding": the payment is on its way back (`amount` if known). */
      refund: z.enum(["none", "refunding"]).optional(),
      amount: MinorUnits.optional(),
      currency: Currency.optional(),
    })
    .refine((d) => (d.amount === undefined) === (d.currency === undefined), {
      message: "amount and currency go together",
      path: ["currency"],
    }),
  "order.refunded": z.object({
    orderId: OrderId,
    number,
    amount: MinorUnits,
    currency: Currency,
    /**
     * Why the money went back: the shopper or an admin cancelled the order (`cancelled`); the
     * payment arrived after the order expired (`late_payment`) or after it was reported failed
     * (`after_failure`); an admin refunded it (`admin`).
     */
    reason: z.enum(["cancelled", "late_payment", "after_failure", "admin"]).optional(),
  }),
  "order.expired": z.object({
    orderId: OrderId,
    number,
    /** "none": no money was taken; "refunding": a payment arrived after the deadline and goes back in full. */
    payment: z.enum(["none", "refunding"]).optional(),
  }),
  /** A customer asked to return lines of a delivered order (ADR 0034). */
  "return.requested": ReturnNotice,
  "return.approved": ReturnNotice,
  "return.rejected": ReturnNotice.extend({ reason: z.string().max(300) }),
  /** The returned units arrived and their share of the payment went back. */
  "return.refunded": ReturnRefundNotice,
  /** Admin ad-hoc message. */
  "admin.message": z.object({ subject: z.string().min(1).max(200), body: z.string().min(1).max(5000) }),
} as const;

export type NotificationType = keyof typeof NotificationData;
export const NotificationType = z.enum(Object.keys(NotificationData) as [NotificationType, ...NotificationType[]]);

/** Types a user may opt out of; everything else is transactional email and always sent by email. */
export const OPTIONAL_TYPES: readonly NotificationType[] = ["admin.message"];

/**
 * Types that may be emailed to an address nobody has verified yet: the verification itself,
 * the warning to an address's owner, and receipts (what happened to an order and its money).
 * Everything else (welcome, admin messages) waits until the address is verified.
 */
export const UNVERIFIED_EMAIL_TYPES: readonly NotificationType[] = [
  "user.email_verification",
  "user.registration_attempt",
  "order.confirmed",
  "payment.failed",
  "order.shipped",
  "order.delivered",
  "order.cancelled",
  "order.refunded",
  "order.expired",
  "return.requested",
  "return.approved",
  "return.rejected",
  "return.refunded",
];

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

// ---- Public routes of the `notifications` worker ----

export const DeliveryStatus = z.enum(["pending", "sent", "failed"]);
export type DeliveryStatus = z.infer<typeof DeliveryStatus>;

/** One line of `GET /notifications`: what was sent to me, through which channel, when, and how it went. */
export const Delivery = z
  .object({
    id: NotificationId,
    messageId: z.string(),
    type: NotificationType,
    channel: Channel,
    status: DeliveryStatus,
    subject: z.string().nullable(),
    sentAt: z.iso.datetime().nullable(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: "Delivery" });
export type Delivery = z.infer<typeof Delivery>;

export const DeliveryPage = z
  .object({ items: z.array(Delivery), nextCursor: z.string().nullable() })
  .meta({ id: "DeliveryPage" });

/**
 * `GET /notifications/preferences`. Transactional email (orders, payments, account) is always
 * on; `emailOptional` covers optional messages (e.g. admin announcements); `sms` covers all SMS.
 * `emailStatus` is `undeliverable` once a delivery-failure report came back for the address.
 */
export const Preferences = z
  .object({
    emailTransactional: z.literal(true),
    emailOptional: z.boolean(),
    sms: z.boolean(),
    emailStatus: z.enum(["ok", "undeliverable"]),
  })
  .meta({ id: "Preferences" });
export type Preferences = z.infer<typeof Preferences>;

export const UpdatePreferencesBody = z
  .object({
    emailTransactional: z
      .literal(true, { error: "transactional email cannot be turned off" })
      .optional()
      .meta({ description: "Always true; sending false is refused." }),
    emailOptional: z.boolean().optional(),
    sms: z.boolean().optional(),
  })
  .strict()
  .refine((b) => Object.keys(b).length > 0, "send at least one preference")
  .meta({ id: "UpdatePreferencesBody" });
export type UpdatePreferencesBody = z.infer<typeof UpdatePreferencesBody>;

/** Admin ad-hoc message, enqueued as `admin.message` (an optional type: opt-outs apply). */
export const AdminSendBody = z
  .object({
    userId: UserId,
    channels: z
      .array(Channel)
      .min(1)
      .max(2)
      .refine((c) => new Set(c).size === c.length, "must not repeat a channel"),
    subject: z.string().trim().min(1).max(200),
    body: z.string().trim().min(1).max(5000),
  })
  .strict()
  .meta({ id: "AdminSendBody" });
export type AdminSendBody = z.infer<typeof AdminSendBody>;

export const AdminSendAccepted = z
  .object({ messageId: z.string(), status: z.literal("queued") })
  .meta({ id: "AdminSendAccepted" });

export const DeadLetter = z
  .object({
    id: NotificationId,
    source: z.enum(["malformed", "unknown_user", "dead_letter_queue"]),
    messageId: z.string().nullable(),
    userId: z.string().nullable(),
    type: z.string().nullable(),
    reason: z.string(),
    status: z.enum(["dead", "replayed"]),
    deaths: z.int(),
    replayable: z.boolean(),
    body: z.unknown(),
    createdAt: z.iso.datetime(),
    replayedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: "DeadLetter" });
export type DeadLetter = z.infer<typeof DeadLetter>;

export const DeadLetterPage = z
  .object({ items: z.array(DeadLetter), nextCursor: z.string().nullable() })
  .meta({ id: "DeadLetterPage" });

export const ListDeliveriesQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(100).default(20),
    cursor: z.string().max(600).optional(),
  })
  .strict();
export type ListDeliveriesQuery = z.infer<typeof ListDeliveriesQuery>;

export const ListDeadLettersQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(100).default(20),
    cursor: z.string().max(600).optional(),
    status: z.enum(["dead", "replayed"]).optional(),
  })
  .strict();
export type ListDeadLettersQuery = z.infer<typeof ListDeadLettersQuery>;

export const DeadLetterIdParams = z.object({ id: NotificationId });
