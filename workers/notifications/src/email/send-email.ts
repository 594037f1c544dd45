import { EmailMessage } from "cloudflare:email";
import { addressOf, buildRawEmail, type OutgoingEmail } from "./build-message";

/** Sends through the `send_email` binding; throws when the platform refuses (the caller retries). */
export async function sendEmail(binding: SendEmail, email: OutgoingEmail): Promise<void> {
  const raw = buildRawEmail(email);
  await binding.send(new EmailMessage(addressOf(email.from), email.to, raw));
}
