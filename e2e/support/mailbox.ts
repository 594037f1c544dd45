import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import PostalMime from "postal-mime";
// @ts-expect-error plain ESM module shared with `npm start`
import { ROOT } from "../../scripts/system.mjs";
import { currentSystem } from "./modes";

/**
 * What the outside world received. Email: wrangler's local `send_email` writes every message
 * as an .eml file under the first worker's `.wrangler/tmp/email/` while the system runs (the
 * gateway of another checkout in a version-skew run: the system says where).
 * SMS: the local Twilio-style sink lists what it was sent.
 */
const emailRoot = () => currentSystem().emailDir ?? join(ROOT, "workers", "gateway", ".wrangler", "tmp", "email");

function emlFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? emlFiles(join(dir, e.name)) : e.name.endsWith(".eml") ? [join(dir, e.name)] : [],
  );
}

export type Mail = { to: string[]; subject: string; text: string; html: string; file: string };

export async function emailsTo(address: string): Promise<Mail[]> {
  const out: Mail[] = [];
  for (const file of emlFiles(emailRoot())) {
    let raw: string;
    try {
      raw = readFileSync(file, "utf8");
    } catch {
      continue; // removed by a system that just stopped
    }
    if (!raw.toLowerCase().includes(address.toLowerCase())) continue;
    const parsed = await PostalMime.parse(raw);
    const to = (parsed.to ?? []).map((a) => a.address ?? "").filter(Boolean);
    if (!to.some((t) => t.toLowerCase() === address.toLowerCase())) continue;
    out.push({ to, subject: parsed.subject ?? "", text: parsed.text ?? "", html: parsed.html ?? "", file });
  }
  return out;
}

export type Sms = { to: string; body: string };

export async function smsTo(phone: string): Promise<Sms[]> {
  const res = await fetch(`${currentSystem().smsUrl}/messages`);
  const all = (await res.json()) as Sms[];
  return all.filter((m) => m.to === phone);
}
