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

/**
 * Successful reads are the bulk of the traffic and the least telling: in the JSON format
 * (deployed) one in this many is logged, chosen by its request id, so a sampled request is
 * logged by every worker it crossed (ADR 0024). Each such line carries `sampleRate` to scale
 * counts back. Writes, failures (4xx and 5xx), slow reads and reads during which a warning or
 * error was logged are always logged. The `LOG_READ_SAMPLE` var sets another rate (1: all).
 */
export const READ_SAMPLE_RATE = 20;
/** Set on the request's context when it logged a warning or an error: its request line is kept. */
const NOTED = "logNoted";

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

export function readSampleRate(
  vars: { LOG_READ_SAMPLE?: unknown } | undefined = env as { LOG_READ_SAMPLE?: unknown },
): number {
  const n = Number(vars?.LOG_READ_SAMPLE);
  return Number.isSafeInteger(n) && n >= 1 ? n : READ_SAMPLE_RATE;
}

/** The request line of a read (GET or HEAD) that succeeded (below 400) in under a second. */
export function isSuccessfulRead(fields: LogFields): boolean {
  const { method, status, durationMs } = fields;
  if ((method !== "GET" && method !== "HEAD") || typeof status !== "number" || status >= 400) return false;
  return !(typeof durationMs === "number" && durationMs >= SLOW_REQUEST_MS);
}

/** Whether the request with this id is one of the `rate` logged (FNV-1a of the id: every worker agrees). */
export function isSampledIn(requestId: unknown, rate: number): boolean {
  if (rate <= 1) return true;
  if (typeof requestId !== "string") return false;
  let h = 0x811c9dc5;
  for (let i = 0; i < requestId.length; i++) h = Math.imul(h ^ requestId.charCodeAt(i), 0x01000193);
  return (h >>> 0) % rate === 0;
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
function requestFields(level: LogLevel): LogFields {
  const c = tryGetContext();
  if (!c) return {};
  if (level !== "info") c.set(NOTED as never, true as never);
  else if (c.get(NOTED as never) === true) return { [NOTED]: true, ...idsOf(c) };
  return idsOf(c);
}

function idsOf(c: NonNullable<ReturnType<typeof tryGetContext>>): LogFields {
  const ids: LogFields = {};
  const requestId = c.get("requestId" as never) as unknown;
  const traceparent = c.get("traceparent" as never) as unknown;
  if (requestId) ids.requestId = requestId;
  if (traceparent) ids.traceparent = traceparent;
  return ids;
}

/**
 * Writes one log line. Lines written while a request is handled carry its requestId and
 * traceparent. Errors always print, in either format; successful reads are sampled in JSON.
 */
export function log(level: LogLevel, fields: LogFields): void {
  const all = requestFields(level);
  const noted = all[NOTED] === true;
  delete all[NOTED];
  for (const [k, v] of Object.entries(fields)) if (v !== undefined || !(k in all)) all[k] = v;
  let line: string;
  if (logFormat() === "pretty") {
    // For a person reading locally: every request but the routine ones.
    if (level !== "error" && isRoutineRequest(all)) return;
    line = formatPretty(level, all);
  } else {
    if (level === "info" && !noted && isSuccessfulRead(all)) {
      const rate = readSampleRate();
      if (!isSampledIn(all.requestId, rate)) return;
      if (rate > 1) all.sampleRate = rate;
    }
    line = JSON.stringify({ ts: new Date().toISOString(), level, ...all });
  }
  if (level === "error") console.error(line);
  else if (level === "warn") console.warn(line);
  else console.log(line);
}
