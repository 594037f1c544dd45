import { type Channel, type NotificationMessage, OPTIONAL_TYPES } from "@shop/contracts";
import { injectFault, log } from "@shop/runtime";
import { addressOf } from "../../email/build-message";
import { newMessageId } from "../../email/message-id";
import { sendEmail } from "../../email/send-email";
import type { NotificationsContext } from "../../env";
import { sendSms } from "../../sms/send-sms";
import { greeted, render } from "../../templates/render";
import { type Claim, claimChannels } from "../deliveries/claim";
import { type Completion, completeDeliveries, type SendResult } from "../deliveries/complete";
import { admitSms } from "../sms-caps/admit-sms";
import { type Candidate, candidateChannels, meets } from "./choose-channels";

export type DeliverOutcome =
  | { kind: "done"; sent: Channel[] }
  | { kind: "retry"; reason: string; delaySeconds?: number }
  | { kind: "unknown_user" };

type Content = ReturnType<typeof render>;
type Attempt = SendResult & { retryAfterSeconds?: number };

/**
 * Sends one notification on every channel it is due on, each at most once: a channel is
 * claimed in D1 before its provider is called, so a redelivered message finds the claim and
 * sends nothing. `retry` when some channel failed in a way worth retrying (or is being sent
 * by a concurrent delivery right now); the queue then redelivers and only that channel goes again.
 *
 * Two D1 round trips in the common case, whatever the channels: one batch reads the user's
 * choices and claims every due channel (with the SMS's admission under the caps), the sends run
 * side by side, and one batch records how each went. Nothing between the two batches throws
 * (each send turns its errors into a result), so a sent channel is never left unrecorded by
 * the other channel's failure. A taken-over SMS claim (a retry) is admitted in a trip of its own.
 */
export async function deliverNotification(
  ctx: NotificationsContext,
  message: NotificationMessage,
): Promise<DeliverOutcome> {
  const { env } = ctx;
  const meta = { requestId: ctx.meta.requestId, traceparent: ctx.meta.traceparent };
  const contact = await env.USERS.getContact(message.userId, meta);
  if (!contact) return { kind: "unknown_user" };

  const candidates = candidateChannels({ message, requested: message.channels, contact });
  if (candidates.length === 0) return { kind: "done", sent: [] };
  const optional = OPTIONAL_TYPES.includes(message.type);
  const content = render(message, greeted(contact), optional, { shopUrl: env.SHOP_URL });

  const { facts, claims } = await claimChannels(ctx, {
    messageId: message.id,
    userId: message.userId,
    type: message.type,
    subject: content.subject,
    candidates,
  });

  const sent: Channel[] = [];
  const retries: { reason: string; delaySeconds?: number }[] = [];
  const sends: Promise<{ candidate: Candidate; completion: Completion & { result: Attempt } }>[] = [];
  for (const candidate of candidates) {
    const claim = claims.get(candidate.channel);
    if (!claim?.claimed) {
      // Not due (the user's choices) is nothing to do; due but being sent elsewhere comes back later.
      if (meets(candidate, facts) && claim?.status === "in_flight")
        retries.push({ reason: `${candidate.channel} is being sent by another delivery` });
      continue;
    }
    sends.push(
      send(ctx, candidate, claim, content, optional).then((result) => ({
        candidate,
        completion: { id: claim.id, result, at: Date.now() },
      })),
    );
  }
  const attempts = await Promise.all(sends);
  await completeDeliveries(
    ctx,
    attempts.map((a) => a.completion),
  );

  for (const { candidate, completion } of attempts) {
    const { result } = completion;
    log(result.ok ? "info" : "warn", {
      worker: "notifications",
      msg: result.ok ? "delivery sent" : "delivery failed",
      messageId: message.id,
      type: message.type,
      channel: candidate.channel,
      deliveryId: completion.id,
      traceparent: meta.traceparent,
      ...(result.ok ? {} : { error: result.error, retryable: result.retryable }),
    });
    if (result.ok) sent.push(candidate.channel);
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

/** One claimed channel's send. Never throws: every error is a result, retryable unless final. */
async function send(
  ctx: NotificationsContext,
  candidate: Candidate,
  claim: Extract<Claim, { claimed: true }>,
  content: Content,
  optional: boolean,
): Promise<Attempt> {
  const { env } = ctx;
  const { recipient } = candidate;
  if (candidate.channel === "email") {
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
      return { ok: true, providerId: `<${messageId}>` };
    } catch (err) {
      return { ok: false, retryable: true, error: `email not accepted: ${String(err)}` };
    }
  }
  // Caps per number and per country code; a capped SMS is final (never retried into a loop).
  let admission = claim.admission;
  if (!admission) {
    try {
      admission = await admitSms(ctx, { deliveryId: claim.id, recipient });
    } catch (err) {
      // Nothing was sent: the claim is released for a later attempt.
      return { ok: false, retryable: true, error: `SMS not admitted: ${String(err)}` };
    }
  }
  if (!admission.admitted) return { ok: false, retryable: false, error: admission.reason };
  return sendSms(
    { apiUrl: env.SMS_API_URL, accountSid: env.SMS_ACCOUNT_SID, authToken: env.SMS_AUTH_TOKEN, from: env.SMS_FROM },
    recipient,
    content.sms,
    { beforeAttempt: () => injectFault(env, "notifications.sms") },
  );
}
