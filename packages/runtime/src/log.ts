import { env } from "cloudflare:workers";
import { tryGetContext } from "hono/context-storage";

export type LogLevel = "info" | "warn" | "error";
export type LogFields = Record<string, unknown>;

/**
 * How a worker writes its log lines, chosen by the `LOG_FORMAT` var:
 * - "json" (the default, and what deployed environments use): one JSON object per line, what
 *   Workers Logs indexes;
 * - "pretty" (local development, set in each wrangler.toml's top-level `[vars]`): one short
 *   line a person can read, e.g. `orders POST /orders 201 38ms 01J…`, and routine requests
 *   (health probes, static files) left out unless slow or failing.
 */
export type LogFormat = "json" | "pretty";

/** A routine request slower than this is worth a line after all. */
export const SLOW_REQUEST_MS = 1000;

const STATIC_FILE = /\.(?:js|mjs|css|html?|ico|png|jpe?g|gif|svg|webp|avif|woff2?|ttf|map|txt|webmanifest)$/i;

export function logFormat(vars: { LOG_FORMAT?: unknown } | undefined = env as { LOG_FORMAT?: unknown }): LogFormat {
  return vars?.LOG_FORMAT === "pretty" ? "pretty" : "json";
}

/**
 * True for the request line of a routine request — a health probe or a static file that
 * answered below 500 in under a second — which the pretty format leaves out.
 */
export function isRoutineRequest(fields: LogFields): boolean {
  const { path, status, durationMs } = fields;
  if (typeof path !== "string" || typeof status !== "number") return false;
  if (path !== "/health" && !STATIC_FILE.test(path)) return false;
  return status < 500 && !(typeof durationMs === "number" && durationMs >= SLOW_REQUEST_MS);
}

function value(v: unknown): string {
  if (typeof v === "string") return /^[^\s"=]+$/.test(v) ? v : JSON.stringify(v);
  if (typeof v === "number" || typeof v === "boolean" || v === null) return String(v);
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

/**
 * One readable line: `worker method path status ms requestId` for a request, otherwise
 * `worker [WARN|ERROR] message key=value … requestId`, with the stack (if any) below it.
 */
export function formatPretty(level: LogLevel, fields: LogFields): string {
  const { ts: _ts, level: _level, worker, requestId, traceparent: _traceparent, msg, stack, ...rest } = fields;
  const parts: string[] = [typeof worker === "string" ? worker : "-"];
  if (typeof rest.method === "string" && typeof rest.path === "string" && typeof rest.status === "number") {
    parts.push(rest.method, rest.path, String(rest.status));
    if (typeof rest.durationMs === "number") parts.push(`${rest.durationMs}ms`);
  } else {
    if (level !== "info") parts.push(level.toUpperCase());
    if (msg !== undefined) parts.push(typeof msg === "string" ? msg : value(msg));
    for (const [k, v] of Object.entries(rest)) if (v !== undefined) parts.push(`${k}=${value(v)}`);
  }
  if (typeof requestId === "string") parts.push(requestId);
  const line = parts.join(" ");
  return typeof stack === "string" && stack ? `${line}\n${stack}` : line;
}

/** The request this line belongs to, if it is written while a request is handled. */
function requestFields(): LogFields {
  const c = tryGetContext();
  if (!c) return {};
  const ids: LogFields = {};
  const requestId = c.get("requestId" as never) as unknown;
  const traceparent = c.get("traceparent" as never) as unknown;
  if (requestId) ids.requestId = requestId;
  if (traceparent) ids.traceparent = traceparent;
  return ids;
}

/**
 * Writes one log line. Lines written while a request is handled carry its requestId and
 * traceparent. Errors always print, in either format.
 */
export function log(level: LogLevel, fields: LogFields): void {
  const all = requestFields();
  for (const [k, v] of Object.entries(fields)) if (v !== undefined || !(k in all)) all[k] = v;
  let line: string;
  if (logFormat() === "pretty") {
    if (level !== "error" && isRoutineRequest(all)) return;
    line = formatPretty(level, all);
  } else {
    line = JSON.stringify({ ts: new Date().toISOString(), level, ...all });
  }
  if (level === "error") console.error(line);
  else if (level === "warn") console.warn(line);
  else console.log(line);
}
