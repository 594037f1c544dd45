import { log, nextTraceparent } from "@shop/runtime";
import PostalMime, { type Email } from "postal-mime";
import { database } from "../db/client";
import type { NotificationsBindings } from "../env";
import { applyInbound } from "../services/inbound/apply";
import { classifyInbound } from "../services/inbound/classify";

/**
 * Email Workers handler for replies to notification mail: bounces mark the address
 * undeliverable, "unsubscribe"/"stop" from the user's own address turns optional mail off,
 * everything else goes to the support address unchanged.
 */
export async function handleInboundEmail(message: ForwardableEmailMessage, env: NotificationsBindings): Promise<void> {
  const meta = { requestId: crypto.randomUUID(), traceparent: nextTraceparent(null) };
  let parsed: Email | undefined;
  try {
    parsed = await PostalMime.parse(await new Response(message.raw).arrayBuffer(), { attachmentEncoding: "utf8" });
  } catch (err) {
    log("warn", { worker: "notifications", ...meta, msg: "inbound mail did not parse", error: String(err) });
  }
  const kind = parsed ? classifyInbound(parsed, message.from) : ({ kind: "other" } as const);
  const result = await applyInbound({ db: database(env.DB), users: env.USERS }, kind, message.from, meta);
  log("info", { worker: "notifications", ...meta, msg: "inbound mail", kind: kind.kind, action: result.action });
  if (result.action === "forward") await message.forward(env.SUPPORT_ADDRESS);
}
