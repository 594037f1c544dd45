import type { Email } from "postal-mime";
import { type QuotedMessageId, quotedMessageIds } from "../../email/message-id";

export type InboundKind =
  | { kind: "bounce"; recipients: string[]; deliveryIds: QuotedMessageId[]; reason: string }
  | { kind: "unsubscribe"; sender: string }
  | { kind: "other" };

const ADDRESS = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
const BOUNCE_SENDER = /^(mailer-daemon|postmaster|mail-daemon|bounces?)@/i;
const BOUNCE_SUBJECT =
  /(undeliver|delivery status notification|delivery (has )?failed|failure notice|returned mail|mail delivery failed)/i;
const UNSUBSCRIBE = /^\s*(unsubscribe|stop)\b/i;

/** Our Message-IDs quoted anywhere in the report (original headers, body, references). */
function quotedDeliveryIds(email: Email): QuotedMessageId[] {
  const parts = [
    email.text ?? "",
    email.inReplyTo ?? "",
    email.references ?? "",
    ...email.attachments.map((a) => contentText(a.content)),
  ].join("\n");
  return quotedMessageIds(parts);
}

function contentText(content: ArrayBuffer | Uint8Array | string): string {
  return typeof content === "string" ? content : new TextDecoder().decode(content);
}

/**
 * Failed recipients of an RFC 3464 delivery-status part: per-recipient blocks whose
 * Action is `failed` (or whose Status is a permanent 5.x.x).
 */
function dsnFailedRecipients(report: string): string[] {
  const failed: string[] = [];
  for (const block of report.replace(/\r\n/g, "\n").split(/\n\s*\n/)) {
    const field = (name: string) => new RegExp(`^${name}:\\s*(.+)$`, "im").exec(block)?.[1]?.trim();
    const recipient = field("Final-Recipient") ?? field("Original-Recipient");
    if (!recipient) continue;
    const action = field("Action")?.toLowerCase();
    const status = field("Status");
    if (action === "failed" || (!action && status?.startsWith("5"))) {
      const addr = recipient
        .replace(/^rfc822\s*;\s*/i, "")
        .replace(/[<>]/g, "")
        .trim()
        .toLowerCase();
      if (addr.includes("@")) failed.push(addr);
    }
  }
  return failed;
}

/**
 * What an incoming mail is: a delivery-failure report (a DSN, or a typical mailer-daemon
 * bounce), an "unsubscribe"/"stop" reply, or anything else (for people to read).
 */
export function classifyInbound(email: Email, envelopeFrom: string): InboundKind {
  const reports = email.attachments.filter((a) => a.mimeType === "message/delivery-status");
  if (reports.length > 0) {
    const recipients = reports.flatMap((r) => dsnFailedRecipients(contentText(r.content)));
    return recipients.length
      ? { kind: "bounce", recipients, deliveryIds: quotedDeliveryIds(email), reason: "delivery-status report: failed" }
      : { kind: "other" };
  }
  const sender = (email.from?.address ?? envelopeFrom).toLowerCase();
  if (
    (BOUNCE_SENDER.test(envelopeFrom) || BOUNCE_SENDER.test(sender) || envelopeFrom === "" || envelopeFrom === "<>") &&
    BOUNCE_SUBJECT.test(email.subject ?? "")
  ) {
    const original = email.attachments
      .filter((a) => a.mimeType === "message/rfc822" || a.mimeType === "text/rfc822-headers")
      .map((a) => contentText(a.content).match(/^To:.*$/im)?.[0] ?? "")
      .join("\n");
    const recipients = [...new Set(`${email.text ?? ""}\n${original}`.match(ADDRESS) ?? [])]
      .map((a) => a.toLowerCase())
      .filter((a) => !BOUNCE_SENDER.test(a));
    return recipients.length
      ? {
          kind: "bounce",
          recipients,
          deliveryIds: quotedDeliveryIds(email),
          reason: `bounce: ${email.subject ?? ""}`.slice(0, 200),
        }
      : { kind: "other" };
  }
  const firstLine = (email.text ?? "").split(/\r?\n/).find((l) => l.trim() !== "" && !l.startsWith(">")) ?? "";
  const subject = (email.subject ?? "").replace(/^(re|aw|fwd?):\s*/i, "");
  if (UNSUBSCRIBE.test(subject) || UNSUBSCRIBE.test(firstLine)) return { kind: "unsubscribe", sender };
  return { kind: "other" };
}
