import { type Contact, formatMoney, type NotificationMessage, type NotificationType } from "@shop/contracts";
import { html, type SafeHtml } from "./escape";
import { layout } from "./layout";
import {
  cancelledMoney,
  expiredMoney,
  failureReason,
  orderRef,
  paymentFailedMoney,
  REFUND_ARRIVAL,
  refundedMoney,
} from "./money-words";

export type Rendered = { subject: string; text: string; html: string; sms: string };

type Content = { subject: string; lines: string[]; body: SafeHtml; sms: string };
type Data<T extends NotificationType> = Extract<NotificationMessage, { type: T }>["data"];

/** The returned items, one per line: "1 × Mug". */
const returnItems = (d: { items: { name: string; quantity: number }[] }) =>
  d.items.map((i) => `${i.quantity} × ${i.name}`);

const TRANSACTIONAL_FOOTER = "You receive this message because of activity on your Shop account.";
const OPTIONAL_FOOTER = 'You can turn these messages off in your preferences, or reply "unsubscribe".';

export type RenderOptions = { shopUrl?: string };

const CONTENT: { [T in NotificationType]: (data: Data<T>, options: Required<RenderOptions>) => Content } = {
  "user.email_verification": (d, o) => {
    const link = `${o.shopUrl.replace(/\/+$/, "")}/#/verify-email?token=${encodeURIComponent(d.token)}`;
    return {
      subject: "Confirm your email address",
      lines: [
        "Please confirm that this is your email address for your Shop account:",
        "",
        link,
        "",
        "The link works once, for 24 hours. If you did not create a Shop account, ignore this message.",
      ],
      body: html`<p>Please confirm that this is your email address for your Shop account:</p>
<p><a href="${link}">Confirm my email address</a></p>
<p>The link works once, for 24 hours. If you did not create a Shop account, ignore this message.</p>`,
      sms: "Shop: confirm your email address with the link we emailed you.",
    };
  },
  "user.registration_attempt": (_d, o) => {
    const signIn = `${o.shopUrl.replace(/\/+$/, "")}/#/login`;
    return {
      subject: "Someone tried to register with your email",
      lines: [
        "Someone tried to create a Shop account with this email address, which already has one.",
        `If it was you, sign in instead: ${signIn}`,
        "If it was not you, there is nothing to do: your account has not changed.",
      ],
      body: html`<p>Someone tried to create a Shop account with this email address, which already has one.</p>
<p>If it was you, <a href="${signIn}">sign in</a> instead.</p>
<p>If it was not you, there is nothing to do: your account has not changed.</p>`,
      sms: "Shop: someone tried to register with your email address. Your account has not changed.",
    };
  },
  "user.phone_code": (d) => ({
    subject: "Your Shop verification code",
    lines: [`Your Shop verification code is ${d.code}. It expires in 10 minutes.`],
    body: html`<p>Your Shop verification code is <strong>${d.code}</strong>. It expires in 10 minutes.</p>`,
    sms: `Shop: your verification code is ${d.code}. It expires in 10 minutes. Never share it.`,
  }),
  "user.registered": (d) => ({
    subject: "Welcome to Shop",
    lines: [`Welcome to Shop, ${d.name}! Your account is ready.`],
    body: html`<p>Welcome to Shop, ${d.name}! Your account is ready.</p>`,
    sms: "Welcome to Shop! Your account is ready.",
  }),
  "order.confirmed": (d) => {
    const money = (amount: number) => formatMoney(amount, d.total.currency);
    const total = money(d.total.amount);
    const lines = d.lines.map((l) => ({
      name: l.name,
      quantity: l.quantity,
      price: formatMoney(l.unitPrice.amount * l.quantity, l.unitPrice.currency),
    }));
    // How the total was reached (ADR 0035): the order's own figures, row by row.
    const b = d.breakdown;
    const taxWord = b?.tax.inclusive ? "included" : "added";
    const sums: [string, string][] = b
      ? [
          ["Subtotal", money(b.subtotal)],
          ...(b.discount > 0
            ? [
                [`Discount${b.codes.length ? ` (${b.codes.join(", ")})` : ""}`, `−${money(b.discount)}`] as [
                  string,
                  string,
                ],
              ]
            : []),
          [`Shipping (${b.shipping.name})`, money(b.shipping.amount)],
          [b.tax.inclusive ? "Tax (incl.)" : "Tax (excl., added)", money(b.tax.amount)],
        ]
      : [];
    const smsSums = b
      ? ` Subtotal ${money(b.subtotal)}${b.discount > 0 ? `, discount −${money(b.discount)}${b.codes.length ? ` (${b.codes.join(", ")})` : ""}` : ""}, shipping ${money(b.shipping.amount)}, tax ${money(b.tax.amount)} ${taxWord}.`
      : "";
    return {
      subject: `Order ${orderRef(d)} confirmed`,
      lines: [
        `Thank you! Your order ${orderRef(d)} is confirmed.`,
        "",
        ...lines.map((l) => `  ${l.quantity} × ${l.name}  ${l.price}`),
        "",
        ...sums.map(([label, value]) => `${label}: ${value}`),
        `Total: ${total}`,
      ],
      body: html`<p>Thank you! Your order <strong>${orderRef(d)}</strong> is confirmed.</p>
<table style="width:100%;border-collapse:collapse">${lines.map(
        (l) => html`<tr><td>${l.quantity} × ${l.name}</td><td style="text-align:right">${l.price}</td></tr>`,
      )}${sums.map(
        ([label, value]) => html`<tr><td>${label}</td><td style="text-align:right">${value}</td></tr>`,
      )}<tr><td><strong>Total</strong></td><td style="text-align:right"><strong>${total}</strong></td></tr></table>`,
      sms: `Shop: order ${orderRef(d)} confirmed, total ${total}.${smsSums}`,
    };
  },
  "payment.failed": (d) => {
    const reason = failureReason(d);
    const money = paymentFailedMoney();
    return {
      subject: `Payment for order ${orderRef(d)} failed`,
      lines: [
        `The payment for your order ${orderRef(d)} failed.`,
        ...(reason ? [`Reason: ${reason}`] : []),
        money.email,
      ],
      body: html`<p>The payment for your order <strong>${orderRef(d)}</strong> failed.</p>${
        reason ? html`<p>Reason: ${reason}</p>` : html``
      }<p>${money.email}</p>`,
      sms: `Shop: payment for order ${orderRef(d)} failed. ${money.sms}`,
    };
  },
  "order.shipped": (d) => ({
    subject: `Order ${orderRef(d)} shipped`,
    lines: [
      `Your order ${orderRef(d)} is on its way.`,
      `Carrier: ${d.carrier}`,
      `Tracking number: ${d.trackingNumber}`,
    ],
    body: html`<p>Your order <strong>${orderRef(d)}</strong> is on its way.</p>
<p>Carrier: ${d.carrier}<br>Tracking number: ${d.trackingNumber}</p>`,
    sms: `Shop: order ${orderRef(d)} shipped with ${d.carrier}, tracking ${d.trackingNumber}.`,
  }),
  "order.delivered": (d) => ({
    subject: `Order ${orderRef(d)} delivered`,
    lines: [`Your order ${orderRef(d)} has been delivered. Enjoy!`],
    body: html`<p>Your order <strong>${orderRef(d)}</strong> has been delivered. Enjoy!</p>`,
    sms: `Shop: order ${orderRef(d)} delivered.`,
  }),
  "order.cancelled": (d) => {
    const money = cancelledMoney(d);
    return {
      subject: `Order ${orderRef(d)} cancelled`,
      lines: [
        `Your order ${orderRef(d)} has been cancelled.`,
        ...(d.reason ? [`Reason: ${d.reason}`] : []),
        money.email,
      ],
      body: html`<p>Your order <strong>${orderRef(d)}</strong> has been cancelled.</p>${
        d.reason ? html`<p>Reason: ${d.reason}</p>` : html``
      }<p>${money.email}</p>`,
      sms: `Shop: order ${orderRef(d)} cancelled. ${money.sms}`,
    };
  },
  "order.refunded": (d) => {
    const money = refundedMoney(d);
    return {
      subject: `Refund for order ${orderRef(d)}`,
      lines: [money.email, REFUND_ARRIVAL],
      body: html`<p>${money.email}</p><p>${REFUND_ARRIVAL}</p>`,
      sms: `Shop: ${money.sms}`,
    };
  },
  "order.expired": (d) => {
    const money = expiredMoney(d);
    return {
      subject: `Order ${orderRef(d)} expired`,
      lines: [`Your order ${orderRef(d)} expired before it was paid.`, money.email],
      body: html`<p>Your order <strong>${orderRef(d)}</strong> expired before it was paid.</p><p>${money.email}</p>`,
      sms: `Shop: order ${orderRef(d)} expired before it was paid. ${money.sms}`,
    };
  },
  "return.requested": (d) => {
    const items = returnItems(d);
    return {
      subject: `Return for order ${orderRef(d)} requested`,
      lines: [
        `We received your request to return from order ${orderRef(d)}:`,
        ...items.map((i) => `  ${i}`),
        "",
        "We will tell you once it is approved, with how to send the items back.",
      ],
      body: html`<p>We received your request to return from order <strong>${orderRef(d)}</strong>:</p>
<ul>${items.map((i) => html`<li>${i}</li>`)}</ul>
<p>We will tell you once it is approved, with how to send the items back.</p>`,
      sms: `Shop: return for order ${orderRef(d)} requested. We will email you once it is approved.`,
    };
  },
  "return.approved": (d) => {
    const items = returnItems(d);
    return {
      subject: `Return for order ${orderRef(d)} approved`,
      lines: [
        `Your return from order ${orderRef(d)} is approved. Please send these items back:`,
        ...items.map((i) => `  ${i}`),
        "",
        `Put the return reference ${d.returnId} in the parcel. We refund the items once they arrive.`,
      ],
      body: html`<p>Your return from order <strong>${orderRef(d)}</strong> is approved. Please send these items back:</p>
<ul>${items.map((i) => html`<li>${i}</li>`)}</ul>
<p>Put the return reference <strong>${d.returnId}</strong> in the parcel. We refund the items once they arrive.</p>`,
      sms: `Shop: return for order ${orderRef(d)} approved. Details are in your email.`,
    };
  },
  "return.rejected": (d) => ({
    subject: `Return for order ${orderRef(d)} not accepted`,
    lines: [`We cannot accept your return from order ${orderRef(d)}.`, `Reason: ${d.reason}`, "No money was taken."],
    body: html`<p>We cannot accept your return from order <strong>${orderRef(d)}</strong>.</p>
<p>Reason: ${d.reason}</p><p>No money was taken.</p>`,
    sms: `Shop: your return for order ${orderRef(d)} was not accepted. Details are in your email.`,
  }),
  "return.refunded": (d) => {
    const amount = formatMoney(d.amount, d.currency);
    const items = returnItems(d);
    const said =
      d.amount > 0
        ? `We received your returned items from order ${orderRef(d)} and refunded ${amount}.`
        : `We received your returned items from order ${orderRef(d)}. Nothing was paid for them, so there is nothing to refund.`;
    return {
      subject: `Refund for your return from order ${orderRef(d)}`,
      lines: [said, ...items.map((i) => `  ${i}`), ...(d.amount > 0 ? ["", REFUND_ARRIVAL] : [])],
      body: html`<p>${said}</p><ul>${items.map((i) => html`<li>${i}</li>`)}</ul>${
        d.amount > 0 ? html`<p>${REFUND_ARRIVAL}</p>` : html``
      }`,
      sms:
        d.amount > 0
          ? `Shop: your return from order ${orderRef(d)} arrived; ${amount} refunded.`
          : `Shop: your return from order ${orderRef(d)} arrived.`,
    };
  },
  "admin.message": (d) => ({
    subject: d.subject,
    lines: d.body.split("\n"),
    body: html`${d.body.split("\n").map((line) => html`<p>${line}</p>`)}`,
    sms: `Shop: ${d.subject}. ${d.body}`.slice(0, 320),
  }),
};

/**
 * Who the greeting names: the contact's name only once the address is proven to be its owner's.
 * Mail to an unverified address (someone may have typed a stranger's email at sign-up) must not
 * quote text that person chose.
 */
export function greeted(contact: Pick<Contact, "name" | "emailVerified">): Pick<Contact, "name"> {
  return { name: contact.emailVerified === true ? contact.name : "there" };
}

/**
 * Every order email ends with a link to the order's page, which also carries the order's id
 * (the reference support may ask for); SMS stay short and name the order by its number only.
 */
function orderLink(message: NotificationMessage, o: Required<RenderOptions>): { lines: string[]; body: SafeHtml } {
  const orderId = (message.data as { orderId?: unknown }).orderId;
  if (typeof orderId !== "string") return { lines: [], body: html`` };
  const link = `${o.shopUrl.replace(/\/+$/, "")}/#/orders/${encodeURIComponent(orderId)}`;
  return {
    lines: ["", `View your order: ${link}`, `Order reference: ${orderId}`],
    body: html`<p><a href="${link}">View your order</a><br><span style="font-size:12px;color:#777">Order reference: ${orderId}</span></p>`,
  };
}

/**
 * Text and HTML (every value escaped) for one message, plus the short SMS text. Subjects and
 * SMS never quote the user's name (a name is user input; only the greeting shows it).
 */
export function render(
  message: NotificationMessage,
  contact: Pick<Contact, "name">,
  optional: boolean,
  options: RenderOptions = {},
): Rendered {
  const opts = { shopUrl: options.shopUrl ?? "http://localhost:8787" };
  const content = (CONTENT[message.type] as (d: unknown, o: Required<RenderOptions>) => Content)(message.data, opts);
  const footer = optional ? OPTIONAL_FOOTER : TRANSACTIONAL_FOOTER;
  const order = orderLink(message, opts);
  return {
    subject: content.subject,
    text: [`Hi ${contact.name},`, "", ...content.lines, ...order.lines, "", "-- ", footer].join("\n"),
    html: layout(content.subject, contact.name, html`${content.body}${order.body}`, footer),
    sms: content.sms,
  };
}
