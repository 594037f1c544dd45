import { type Contact, formatMoney, type NotificationMessage, type NotificationType } from "@shop/contracts";
import { html, type SafeHtml } from "./escape";
import { layout } from "./layout";
import {
  cancelledMoney,
  expiredMoney,
  failureReason,
  paymentFailedMoney,
  REFUND_ARRIVAL,
  refundedMoney,
} from "./money-words";

export type Rendered = { subject: string; text: string; html: string; sms: string };

type Content = { subject: string; lines: string[]; body: SafeHtml; sms: string };
type Data<T extends NotificationType> = Extract<NotificationMessage, { type: T }>["data"];

const TRANSACTIONAL_FOOTER = "You receive this message because of activity on your Shop account.";
const OPTIONAL_FOOTER = 'You can turn these messages off in your preferences, or reply "unsubscribe".';

const CONTENT: { [T in NotificationType]: (data: Data<T>) => Content } = {
  "user.registered": (d) => ({
    subject: "Welcome to Shop",
    lines: [`Welcome to Shop, ${d.name}! Your account is ready.`],
    body: html`<p>Welcome to Shop, ${d.name}! Your account is ready.</p>`,
    sms: "Welcome to Shop! Your account is ready.",
  }),
  "order.confirmed": (d) => {
    const total = formatMoney(d.total.amount, d.total.currency);
    const lines = d.lines.map((l) => ({
      name: l.name,
      quantity: l.quantity,
      price: formatMoney(l.unitPrice.amount * l.quantity, l.unitPrice.currency),
    }));
    return {
      subject: `Order ${d.orderId} confirmed`,
      lines: [
        `Thank you! Your order ${d.orderId} is confirmed.`,
        "",
        ...lines.map((l) => `  ${l.quantity} × ${l.name}  ${l.price}`),
        "",
        `Total: ${total}`,
      ],
      body: html`<p>Thank you! Your order <strong>${d.orderId}</strong> is confirmed.</p>
<table style="width:100%;border-collapse:collapse">${lines.map(
        (l) => html`<tr><td>${l.quantity} × ${l.name}</td><td style="text-align:right">${l.price}</td></tr>`,
      )}<tr><td><strong>Total</strong></td><td style="text-align:right"><strong>${total}</strong></td></tr></table>`,
      sms: `Shop: order ${d.orderId} confirmed, total ${total}.`,
    };
  },
  "payment.failed": (d) => {
    const reason = failureReason(d);
    const money = paymentFailedMoney();
    return {
      subject: `Payment for order ${d.orderId} failed`,
      lines: [`The payment for your order ${d.orderId} failed.`, ...(reason ? [`Reason: ${reason}`] : []), money.email],
      body: html`<p>The payment for your order <strong>${d.orderId}</strong> failed.</p>${
        reason ? html`<p>Reason: ${reason}</p>` : html``
      }<p>${money.email}</p>`,
      sms: `Shop: payment for order ${d.orderId} failed. ${money.sms}`,
    };
  },
  "order.shipped": (d) => ({
    subject: `Order ${d.orderId} shipped`,
    lines: [`Your order ${d.orderId} is on its way.`, `Carrier: ${d.carrier}`, `Tracking number: ${d.trackingNumber}`],
    body: html`<p>Your order <strong>${d.orderId}</strong> is on its way.</p>
<p>Carrier: ${d.carrier}<br>Tracking number: ${d.trackingNumber}</p>`,
    sms: `Shop: order ${d.orderId} shipped with ${d.carrier}, tracking ${d.trackingNumber}.`,
  }),
  "order.delivered": (d) => ({
    subject: `Order ${d.orderId} delivered`,
    lines: [`Your order ${d.orderId} has been delivered. Enjoy!`],
    body: html`<p>Your order <strong>${d.orderId}</strong> has been delivered. Enjoy!</p>`,
    sms: `Shop: order ${d.orderId} delivered.`,
  }),
  "order.cancelled": (d) => {
    const money = cancelledMoney(d);
    return {
      subject: `Order ${d.orderId} cancelled`,
      lines: [`Your order ${d.orderId} has been cancelled.`, ...(d.reason ? [`Reason: ${d.reason}`] : []), money.email],
      body: html`<p>Your order <strong>${d.orderId}</strong> has been cancelled.</p>${
        d.reason ? html`<p>Reason: ${d.reason}</p>` : html``
      }<p>${money.email}</p>`,
      sms: `Shop: order ${d.orderId} cancelled. ${money.sms}`,
    };
  },
  "order.refunded": (d) => {
    const money = refundedMoney(d);
    return {
      subject: `Refund for order ${d.orderId}`,
      lines: [money.email, REFUND_ARRIVAL],
      body: html`<p>${money.email}</p><p>${REFUND_ARRIVAL}</p>`,
      sms: `Shop: ${money.sms}`,
    };
  },
  "order.expired": (d) => {
    const money = expiredMoney(d);
    return {
      subject: `Order ${d.orderId} expired`,
      lines: [`Your order ${d.orderId} expired before it was paid.`, money.email],
      body: html`<p>Your order <strong>${d.orderId}</strong> expired before it was paid.</p><p>${money.email}</p>`,
      sms: `Shop: order ${d.orderId} expired before it was paid. ${money.sms}`,
    };
  },
  "admin.message": (d) => ({
    subject: d.subject,
    lines: d.body.split("\n"),
    body: html`${d.body.split("\n").map((line) => html`<p>${line}</p>`)}`,
    sms: `Shop: ${d.subject}. ${d.body}`.slice(0, 320),
  }),
};

/** Text and HTML (every value escaped) for one message, plus the short SMS text. */
export function render(message: NotificationMessage, contact: Pick<Contact, "name">, optional: boolean): Rendered {
  const content = (CONTENT[message.type] as (d: unknown) => Content)(message.data);
  const footer = optional ? OPTIONAL_FOOTER : TRANSACTIONAL_FOOTER;
  return {
    subject: content.subject,
    text: [`Hi ${contact.name},`, "", ...content.lines, "", "-- ", footer].join("\n"),
    html: layout(content.subject, contact.name, content.body, footer),
    sms: content.sms,
  };
}
