import { log } from "@shop/runtime";
import PostalMime, { type Email } from "postal-mime";
import { entryContext } from "../entry-context";
import type { NotificationsBindings } from "../env";
import { applyInbound } from "../services/inbound/apply";
import { classifyInbound } from "../services/inbound/classify";

/**
 * Email Workers handler for replies to notification mail: bounces mark the address
 * undeliverable, "unsubscribe"/"stop" from the user's own address turns optional mail off,
 * everything else goes to the support address unchanged.
 */
export async function handleInboundEmail(
  message: ForwardableEmailMessage,
  env: NotificationsBindings,
  exec: ExecutionContext,
): Promise<void> {
  // A new request id and trace: an inbound mail starts its own.
  const ctx = entryContext(env, exec);
  const meta = { requestId: ctx.meta.requestId, traceparent: ctx.meta.traceparent };
  let parsed: Email | undefined;
  try {
    parsed = await PostalMime.parse(await new Response(message.raw).arrayBuffer(), { attachmentEncoding: "utf8" });
  } catch (err) {
    log("warn", { worker: "notifications", ...meta, msg: "inbound mail did not parse", error: String(err) });
  }
  const kind = parsed ? classifyInbound(parsed, message.from) : ({ kind: "other" } as const);
  const result = await applyInbound(ctx, { kind, envelopeFrom: message.from });
  log("info", { worker: "notifications", ...meta, msg: "inbound mail", kind: kind.kind, action: result.action });
  if (result.action === "forward") await message.forward(env.SUPPORT_ADDRESS);
}
