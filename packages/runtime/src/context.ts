import type { CallMeta, Principal } from "@shop/contracts";

/** Variables every worker's Hono context carries. */
export type SharedVariables = {
  requestId: string;
  traceparent: string;
  principal?: Principal;
};

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

function hex(bytes: number): string {
  return [...crypto.getRandomValues(new Uint8Array(bytes))].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** Continues the caller's W3C trace with a new span, or starts a new trace. */
export function nextTraceparent(incoming: string | null | undefined): string {
  const m = incoming ? TRACEPARENT.exec(incoming) : null;
  return m ? `00-${m[1]}-${hex(8)}-${m[3]}` : `00-${hex(16)}-${hex(8)}-01`;
}

export function requestIdFrom(incoming: string | null | undefined): string {
  return incoming && /^[A-Za-z0-9._:-]{8,100}$/.test(incoming) ? incoming : crypto.randomUUID();
}

/** The ids to pass on to the next hop (RPC `meta` argument or queue envelope). */
export function callMeta(c: { get(key: "requestId"): string; get(key: "traceparent"): string }): CallMeta {
  return { requestId: c.get("requestId"), traceparent: c.get("traceparent") };
}
