import { Invalid } from "@shop/runtime";

const MAX_TERMS = 10;

/**
 * Turns shopper text into a safe FTS5 query: words only (no operators a client could
 * abuse), each quoted and prefix-matched, all required. "blue mug" → `"blue"* "mug"*`.
 */
export function ftsQuery(q: string): string {
  const terms = (q.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, MAX_TERMS);
  if (terms.length === 0)
    throw new Invalid([{ path: "q", message: "must contain at least one letter or digit" }], "query");
  return terms.map((t) => `"${t}"*`).join(" ");
}
