import { E164Phone } from "@shop/contracts";
import { backoffMs, toBase64 } from "@shop/runtime";

export type SmsConfig = { apiUrl: string; accountSid: string; authToken: string; from: string };

export type SmsResult =
  | { ok: true; providerId: string | null; attempts: number }
  | { ok: false; retryable: boolean; error: string; attempts: number; retryAfterSeconds?: number };

export type SmsOptions = {
  /** Attempts inside one delivery before handing back to the queue's own retry. */
  maxAttempts?: number;
  baseDelayMs?: number;
  /** A longer wait (e.g. a big Retry-After) is left to the queue's delayed retry instead. */
  maxInlineDelayMs?: number;
  timeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
  /** Runs before each attempt; a throw counts as the provider being unreachable (test-only faults). */
  beforeAttempt?: () => Promise<void>;
};

const DEFAULTS = { maxAttempts: 3, baseDelayMs: 250, maxInlineDelayMs: 5_000, timeoutMs: 10_000 };

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Retry-After is either delta-seconds or an HTTP date. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

async function providerError(res: Response): Promise<string> {
  const text = await res.text().catch(() => "");
  try {
    const body = JSON.parse(text) as { message?: unknown; code?: unknown };
    if (typeof body.message === "string") return `${res.status}: ${body.message.slice(0, 200)}`;
  } catch {
    // not JSON: fall through to the raw text
  }
  return `${res.status}: ${text.slice(0, 200) || res.statusText}`;
}

/**
 * Twilio-style `POST {apiUrl}/2010-04-01/Accounts/{sid}/Messages.json` (form-encoded To/From/Body,
 * basic auth). 5xx, 429 and network errors/timeouts are retried with exponential backoff
 * (honouring Retry-After); any other 4xx is final. Never throws.
 */
export async function sendSms(
  config: SmsConfig,
  to: string,
  body: string,
  options: SmsOptions = {},
): Promise<SmsResult> {
  const opts = { ...DEFAULTS, ...options };
  const sleep = options.sleep ?? realSleep;
  if (!E164Phone.safeParse(to).success) {
    return { ok: false, retryable: false, error: "recipient is not an E.164 phone number", attempts: 0 };
  }
  const url = `${config.apiUrl.replace(/\/+$/, "")}/2010-04-01/Accounts/${encodeURIComponent(config.accountSid)}/Messages.json`;
  const auth = `Basic ${toBase64(new TextEncoder().encode(`${config.accountSid}:${config.authToken}`))}`;
  let last: SmsResult = { ok: false, retryable: true, error: "not attempted", attempts: 0 };

  for (let attempt = 1; attempt <= opts.maxAttempts; attempt++) {
    let waitMs: number | undefined;
    try {
      await options.beforeAttempt?.();
      const res = await fetch(url, {
        method: "POST",
        headers: {
          authorization: auth,
          "content-type": "application/x-www-form-urlencoded",
          accept: "application/json",
        },
        body: new URLSearchParams({ To: to, From: config.from, Body: body }).toString(),
        signal: AbortSignal.timeout(opts.timeoutMs),
      });
      if (res.ok) {
        const json = (await res.json().catch(() => ({}))) as { sid?: unknown };
        return { ok: true, providerId: typeof json.sid === "string" ? json.sid : null, attempts: attempt };
      }
      const error = await providerError(res);
      if (res.status !== 429 && res.status < 500) return { ok: false, retryable: false, error, attempts: attempt };
      waitMs = retryAfterMs(res.headers.get("retry-after"));
      last = { ok: false, retryable: true, error, attempts: attempt };
    } catch (err) {
      const timedOut = err instanceof Error && (err.name === "TimeoutError" || err.name === "AbortError");
      last = {
        ok: false,
        retryable: true,
        error: timedOut ? "SMS API timed out" : `SMS API unreachable: ${String(err)}`,
        attempts: attempt,
      };
    }
    if (attempt === opts.maxAttempts) break;
    // No cap of its own: a wait beyond the inline budget is handed to the queue just below.
    const delay =
      waitMs ?? backoffMs(attempt, { baseMs: opts.baseDelayMs, maxMs: Number.POSITIVE_INFINITY, jitter: 0.25 });
    if (delay > opts.maxInlineDelayMs) return { ...last, retryAfterSeconds: Math.ceil(delay / 1000) };
    await sleep(delay);
  }
  return last;
}
