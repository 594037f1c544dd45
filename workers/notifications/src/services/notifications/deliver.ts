import { type Channel, type NotificationMessage, OPTIONAL_TYPES } from "@shop/contracts";
import { injectFault, log } from "@shop/runtime";
import { addressOf } from "../../email/build-message";
import { newMessageId } from "../../email/message-id";
import { sendEmail } from "../../email/send-email";
import type { NotificationsContext } from "../../env";
import { sendSms } from "../../sms/send-sms";
import { greeted, render } from "../../templates/render";
import { claimDelivery } from "../deliveries/claim";
import { completeDelivery, type SendResult } from "../deliveries/complete";
import { DEFAULT_PREFERENCES, preferenceReads } from "../preferences/get";
import { admitSms } from "../sms-caps/admit-sms";
import { chooseChannels } from "./choose-channels";

export type DeliverOutcome =
  | { kind: "done"; sent: Channel[] }
  | { kind: "retry"; reason: string; delaySeconds?: number }
  | { kind: "unknown_user" };

/**
 * Sends one notification on every channel it is due on, each at most once: a channel is
 * claimed in D1 before its provider is called, so a redelivered message finds the claim and
 * sends nothing. `retry` when some channel failed in a way worth retrying (or is being sent
 * by a concurrent delivery right now); the queue then redelivers and only that channel goes again.
 */
export async function deliverNotification(
  ctx: NotificationsContext,
  message: NotificationMessage,
): Promise<DeliverOutcome> {
  const { db, env } = ctx;
  const meta = { requestId: ctx.meta.requestId, traceparent: ctx.meta.traceparent };
  const contact = await env.USERS.getContact(message.userId, meta);
  if (!contact) return { kind: "unknown_user" };

  const [prefRows, bounceRows] = await db.batch(
    preferenceReads(ctx, { userId: message.userId, address: contact.email }),
  );
  const plan = chooseChannels({
    message,
    requested: message.channels,
    contact,
    preferences: prefRows[0] ?? DEFAULT_PREFERENCES,
    emailUndeliverable: bounceRows.length > 0,
  });
  const optional = OPTIONAL_TYPES.includes(message.type);
  const content = render(message, greeted(contact), optional, { shopUrl: env.SHOP_URL });

  const sent: Channel[] = [];
  const retries: { reason: string; delaySeconds?: number }[] = [];
  for (const { channel, recipient } of plan) {
    const claim = await claimDelivery(ctx, {
      messageId: message.id,
      channel,
      userId: message.userId,
      type: message.type,
      recipient,
      subject: content.subject,
    });
    if (!claim.claimed) {
      if (claim.status === "in_flight") retries.push({ reason: `${channel} is being sent by another delivery` });
      continue;
    }
    let result: SendResult & { retryAfterSeconds?: number };
    if (channel === "email") {
      const domain = addressOf(env.EMAIL_FROM).split("@")[1] ?? "shop.local";
      // Carries a secret: a bounce must quote it to count (email/message-id.ts).
      const messageId = newMessageId(claim.id, domain);
      try {
        await sendEmail(env.EMAIL, {
          from: env.EMAIL_FROM,
          to: recipient,
          subject: content.subject,
          text: content.text,
          html: content.html,
          messageId,
          ...(optional ? { unsubscribe: `mailto:${addressOf(env.EMAIL_FROM)}?subject=unsubscribe` } : {}),
        });
        result = { ok: true, providerId: `<${messageId}>` };
      } catch (err) {
        result = { ok: false, retryable: true, error: `email not accepted: ${String(err)}` };
      }
    } else {
      // Caps per number and per country code; a capped SMS is final (never retried into a loop).
      const admission = await admitSms(ctx, { deliveryId: claim.id, recipient });
      result = admission.admitted
        ? await sendSms(
            {
              apiUrl: env.SMS_API_URL,
              accountSid: env.SMS_ACCOUNT_SID,
              authToken: env.SMS_AUTH_TOKEN,
              from: env.SMS_FROM,
            },
            recipient,
            content.sms,
            { beforeAttempt: () => injectFault(env, "notifications.sms") },
          )
        : { ok: false, retryable: false, error: admission.reason };
    }
    await completeDelivery(ctx, { id: claim.id, result });
    log(result.ok ? "info" : "warn", {
      worker: "notifications",
      msg: result.ok ? "delivery sent" : "delivery failed",
      messageId: message.id,
      type: message.type,
      channel,
      deliveryId: claim.id,
      traceparent: meta.traceparent,
      ...(result.ok ? {} : { error: result.error, retryable: result.retryable }),
    });
    if (result.ok) sent.push(channel);
    else if (result.retryable) retries.push({ reason: result.error, delaySeconds: result.retryAfterSeconds });
  }
  if (retries.length === 0) return { kind: "done", sent };
  const delays = retries.map((r) => r.delaySeconds).filter((d): d is number => d !== undefined);
  return {
    kind: "retry",
    reason: retries.map((r) => r.reason).join("; "),
    ...(delays.length ? { delaySeconds: Math.max(...delays) } : {}),
  };
}
