import { toBase64 } from "@shop/runtime";
import { createMimeMessage } from "mimetext/browser";

export type OutgoingEmail = {
  /** `Name <addr>` or a bare address (EMAIL_FROM). */
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Without angle brackets, e.g. `ntf_…@shop.example.com`. */
  messageId: string;
  /** A mailto: for List-Unsubscribe on optional messages. */
  unsubscribe?: string;
};

/** The bare address inside `Name <addr>`. */
export function addressOf(mailbox: string): string {
  const m = /<([^<>\s]+@[^<>\s]+)>\s*$/.exec(mailbox);
  return (m?.[1] ?? mailbox).trim().toLowerCase();
}

/** Base64 of UTF-8, wrapped at 76 columns as RFC 2045 requires. */
function base64Lines(value: string): string {
  return (toBase64(new TextEncoder().encode(value)).match(/.{1,76}/g) ?? []).join("\r\n");
}

/** An RFC 5322 message with text and HTML alternatives, built by mimetext (CRLF line ends). */
export function buildRawEmail(email: OutgoingEmail): string {
  const msg = createMimeMessage();
  const fromMatch = /^\s*"?([^"<]*?)"?\s*<([^>]+)>\s*$/.exec(email.from);
  msg.setSender(fromMatch?.[1] ? { name: fromMatch[1], addr: fromMatch[2] ?? "" } : { addr: addressOf(email.from) });
  msg.setRecipient(email.to);
  msg.setSubject(email.subject);
  msg.setHeader("Message-ID", `<${email.messageId}>`);
  msg.setHeader("Auto-Submitted", "auto-generated");
  if (email.unsubscribe) msg.setHeader("List-Unsubscribe", `<${email.unsubscribe}>`);
  msg.addMessage({ contentType: "text/plain", encoding: "base64", data: base64Lines(email.text) });
  msg.addMessage({ contentType: "text/html", encoding: "base64", data: base64Lines(email.html) });
  return msg.asRaw();
}
