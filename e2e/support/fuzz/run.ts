import type { Sent } from "./check";
import type { Op } from "./openapi";
import type { FuzzRequest } from "./requests";

/** Turns a generated request into a URL and fetch init (the token resolved by role). */
export function materialize(base: string, op: Op, req: FuzzRequest, token: string | undefined) {
  let path = op.path;
  for (const [name, value] of Object.entries(req.pathParams)) {
    path = path.replace(`{${name}}`, encodeURIComponent(value));
  }
  const qs = new URLSearchParams(req.query).toString();
  const url = `${base}${path}${qs ? `?${qs}` : ""}`;
  const headers: Record<string, string> = { ...req.headers };
  if (req.who === "bogus" && req.badAuth) headers.authorization = req.badAuth;
  else if (token) headers.authorization = `Bearer ${token}`;
  if (req.body?.contentType) headers["content-type"] = req.body.contentType;
  // Bytes, not a string, so fetch adds no content type of its own when the request has none.
  const body = req.body && (req.body.contentType ? req.body.text : new TextEncoder().encode(req.body.text));
  return { url, headers, init: { method: op.method, headers, body } satisfies RequestInit };
}

export async function send(base: string, op: Op, req: FuzzRequest, token: string | undefined): Promise<Sent> {
  const { url, headers, init } = materialize(base, op, req, token);
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(30_000) });
  const text = await res.text();
  return { req, url, headers, status: res.status, contentType: res.headers.get("content-type") ?? "", text };
}

/** Runs `work` over `items` with at most `limit` in flight. */
export async function pool<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await work(items[i] as T);
    }
  });
  await Promise.all(lanes);
  return out;
}

/** A stable 32-bit hash (FNV-1a), to derive one seed per operation from the run's seed. */
export function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
