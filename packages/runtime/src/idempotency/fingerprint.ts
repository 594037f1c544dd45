import { sha256Hex } from "../crypto";

/**
 * Stable JSON: object keys sorted at every level (members that are `undefined` left out, as
 * `JSON.stringify` does), so equal values always serialize alike. Arrays keep their order.
 */
export function canonicalJson(value: unknown): string {
  if (value && typeof value === "object" && typeof (value as { toJSON?: unknown }).toJSON === "function") {
    return canonicalJson((value as { toJSON: () => unknown }).toJSON());
  }
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? "null" : canonicalJson(v))).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/** What an idempotency record compares: hex SHA-256 of the request's canonical JSON. */
export function requestFingerprint(request: unknown): Promise<string> {
  return sha256Hex(canonicalJson(request));
}
