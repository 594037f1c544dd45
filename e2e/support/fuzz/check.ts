import type { Op, ResponseObject, validators } from "./openapi";
import type { FuzzRequest } from "./requests";

/**
 * Statuses any operation may answer without listing them, and why:
 * - 400, 413, 415 — only when the request carries a body: the shared runtime (createApp)
 *   rejects a body that is not JSON (400), over 1 MB (413) or not sent as JSON (415) before
 *   the route runs, the same way on every route.
 * Nothing else: 401/403/404/409/412/422/428/429 are decisions of a route and must be in
 * its document; 405 does not exist here (an unknown method is a 404 at the router, and we
 * only send documented methods); every 5xx is a failure (no fault is armed during the fuzz).
 */
export const GENERIC_WITH_BODY = [400, 413, 415];

export type Kind = "5xx" | "undocumented" | "schema" | "acceptedInvalid" | "unauthenticated";
export type Finding = { kind: Kind; op: string; service: string; status: number; detail: string; example: string };
export type Sent = {
  req: FuzzRequest;
  url: string;
  headers: Record<string, string>;
  status: number;
  contentType: string;
  text: string;
};

type V = ReturnType<typeof validators>;

const mediaOf = (ct: string) => (ct.split(";")[0] ?? "").trim().toLowerCase();

/** Whether the request is valid by the document (auth aside): every parameter and the body. */
export function isValidRequest(op: Op, req: FuzzRequest, v: V): boolean {
  for (const p of op.params) {
    const raw =
      p.in === "path"
        ? req.pathParams[p.name]
        : p.in === "query"
          ? req.query.find(([k]) => k === p.name)?.[1]
          : req.headers[p.name.toLowerCase()];
    if (raw === undefined) {
      if (p.required) return false;
      continue;
    }
    if (p.schema !== undefined && !v.param(p.schema, raw)) return false;
  }
  if (!op.body) return req.body === undefined;
  if (!req.body) return !op.body.required;
  if (!req.body.contentType || !/^application\/([a-z0-9.+-]+\+)?json\s*(;|$)/i.test(req.body.contentType)) return false;
  let value: unknown;
  try {
    value = JSON.parse(req.body.text);
  } catch {
    return false;
  }
  return v.body(op.body.schema, value) === undefined;
}

function responseFor(op: Op, status: number): ResponseObject | undefined {
  const r = op.op.responses;
  return r[String(status)] ?? r[`${String(status)[0]}XX`] ?? r.default;
}

/** Every problem with one response, as findings (empty when it keeps the contract). */
export function checkResponse(op: Op, sent: Sent, valid: boolean, v: V): Finding[] {
  const out: Finding[] = [];
  const { status } = sent;
  const add = (kind: Kind, detail: string) =>
    out.push({ kind, op: op.id, service: op.service, status, detail, example: describe(sent) });

  if (status >= 500) add("5xx", excerpt(sent.text));
  let documented = responseFor(op, status);
  const generic = !documented && sent.req.body !== undefined && GENERIC_WITH_BODY.includes(status);
  if (!documented && status < 500 && !generic)
    add("undocumented", `documented: ${Object.keys(op.op.responses).join(", ")}`);
  if (generic)
    documented = { content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } } };

  const media = mediaOf(sent.contentType);
  if (documented) {
    const content = documented.content;
    if (content && Object.keys(content).length) {
      const entry = Object.entries(content).find(([type]) => mediaOf(type) === media);
      if (!entry) {
        add("schema", `content-type ${sent.contentType || "(none)"}, documented ${Object.keys(content).join(", ")}`);
      } else if (entry[1].schema !== undefined) {
        const body = parse(sent.text);
        if (body === NOT_JSON) add("schema", `body is not JSON: ${excerpt(sent.text)}`);
        else {
          const err = v.body(entry[1].schema, body);
          if (err) add("schema", `${err} — body: ${excerpt(sent.text)}`);
        }
      }
    } else if ((status === 204 || status === 304) && sent.text.length) {
      add("schema", `a ${status} must not have a body: ${excerpt(sent.text)}`);
    }
  }
  // Every problem+json, documented or not, is a Problem whose status is the HTTP status.
  if (media === "application/problem+json") {
    const body = parse(sent.text) as { status?: unknown } | typeof NOT_JSON;
    const err = body === NOT_JSON ? "not JSON" : v.body({ $ref: "#/components/schemas/Problem" }, body);
    if (err) add("schema", `problem+json that is not a Problem: ${err}`);
    else if (body !== NOT_JSON && body?.status !== status)
      add("schema", `problem status ${String(body?.status)} ≠ HTTP ${status}`);
  }
  if (status >= 200 && status < 300) {
    if (!valid) add("acceptedInvalid", `accepted a request the document rejects (${sent.req.intent})`);
    if (op.authRequired && (sent.req.who === "none" || sent.req.who === "bogus")) {
      add("unauthenticated", `answered ${status} without a valid token (${sent.req.badAuth ?? "no Authorization"})`);
    }
  }
  return out;
}

const NOT_JSON = Symbol("not json");
function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return NOT_JSON;
  }
}

export const excerpt = (s: string, n = 300) => (s.length > n ? `${s.slice(0, n)}… (${s.length} chars)` : s);

/** A request as a reader can replay it (tokens named by role, long bodies cut). */
export function describe(sent: Sent): string {
  const h = Object.entries(sent.headers)
    .map(
      ([k, val]) =>
        `-H '${k}: ${k === "authorization" && sent.req.who !== "bogus" ? `Bearer <${sent.req.who} token>` : excerpt(val, 120)}'`,
    )
    .join(" ");
  const body = sent.req.body ? ` --data '${excerpt(sent.req.body.text, 300)}'` : "";
  return `[${sent.req.intent}] curl -X ${sent.req.op.split(" ")[0]} '${excerpt(sent.url, 400)}' ${h}${body} → ${sent.status} ${excerpt(sent.text, 200)}`;
}
