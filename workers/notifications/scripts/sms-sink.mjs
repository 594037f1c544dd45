#!/usr/bin/env node
/**
 * Local SMS provider: speaks the Twilio-style endpoint the notifications worker calls
 * (POST /2010-04-01/Accounts/{sid}/Messages.json, form-encoded To/From/Body, basic auth),
 * stores every message as a JSON file in SMS_SINK_DIR and prints one line per SMS.
 * GET /messages returns them all (oldest first) for e2e tests. Plain Node, no dependencies.
 *
 *   SMS_SINK_PORT (default 8788)   SMS_SINK_DIR (default .state/sms)
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { join, resolve } from "node:path";

const PORT = Number(process.env.SMS_SINK_PORT ?? 8788);
const DIR = resolve(process.env.SMS_SINK_DIR ?? ".state/sms");
const MAX_BODY = 64 * 1024;
const E164 = /^\+[1-9]\d{6,14}$/;
const SEND_PATH = /^\/2010-04-01\/Accounts\/([A-Za-z0-9_-]{1,64})\/Messages\.json$/;

mkdirSync(DIR, { recursive: true });

function reply(res, status, body) {
  // One request per connection: a kept-alive socket that Node closes after its idle timeout
  // would otherwise be reused by workerd and fail as "Network connection lost".
  res.writeHead(status, { "content-type": "application/json", connection: "close" });
  res.end(JSON.stringify(body));
}

function readBody(req) {
  return new Promise((resolveBody, reject) => {
    let size = 0;
    const chunks = [];
    req.on("data", (chunk) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(new Error("too large"));
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on("end", () => resolveBody(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function allMessages() {
  return readdirSync(DIR)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(DIR, f), "utf8")));
}

const server = createServer(async (req, res) => {
  try {
    const url = new URL(req.url ?? "/", "http://sink");
    if (req.method === "GET" && url.pathname === "/messages") return reply(res, 200, allMessages());
    if (req.method === "GET" && url.pathname === "/health") return reply(res, 200, { status: "ok" });
    const match = SEND_PATH.exec(url.pathname);
    if (req.method !== "POST" || !match) return reply(res, 404, { code: 20404, message: "Not found" });

    const sid = match[1];
    const auth = req.headers.authorization ?? "";
    const [user] = Buffer.from(auth.replace(/^Basic\s+/i, ""), "base64")
      .toString("utf8")
      .split(":");
    if (!auth.startsWith("Basic ") || user !== sid) {
      return reply(res, 401, { code: 20003, message: "Authentication failed", status: 401 });
    }
    const form = new URLSearchParams(await readBody(req));
    const to = form.get("To") ?? "";
    const from = form.get("From") ?? "";
    const body = form.get("Body") ?? "";
    if (!E164.test(to))
      return reply(res, 400, { code: 21211, message: `The 'To' number ${to} is not valid.`, status: 400 });
    if (!body) return reply(res, 400, { code: 21602, message: "Message body is required.", status: 400 });

    const now = new Date();
    const message = {
      sid: `SM${randomBytes(16).toString("hex")}`,
      account_sid: sid,
      to,
      from,
      body,
      status: "queued",
      date_created: now.toUTCString(),
    };
    const file = `${now.getTime()}-${message.sid}.json`;
    writeFileSync(join(DIR, file), JSON.stringify(message, null, 2));
    console.log(`[sms-sink] ${now.toISOString()} to=${to} from=${from} body=${JSON.stringify(body)}`);
    return reply(res, 201, message);
  } catch (err) {
    return reply(res, 400, { code: 20001, message: String(err?.message ?? err), status: 400 });
  }
});

server.listen(PORT, "127.0.0.1", () =>
  console.log(`[sms-sink] listening on http://127.0.0.1:${PORT}, writing to ${DIR}`),
);
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.close(() => process.exit(0)));
