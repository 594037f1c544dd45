/**
 * GET /v1/payment_intents/search with Stripe's search query language, for the clauses we use:
 * `metadata['key']:'value'`, `status:'succeeded'`, `customer:'cus_…'`, joined by AND.
 * Like Stripe, search is eventually consistent: an intent is invisible for `searchLagMs` after
 * it was created (Stripe documents up to a minute; the fake's default is 0).
 */
import { invalidRequest } from "./errors.mjs";

const CLAUSE = /^(metadata\[(['"])(.+?)\2\]|status|customer|currency):(['"])(.*?)\4$/;

/** @param {string} query @returns {((pi: Record<string, any>) => boolean)[]} */
function parseQuery(query) {
  const clauses = query.trim().split(/\s+AND\s+/);
  return clauses.map((clause) => {
    const m = CLAUSE.exec(clause.trim());
    if (!m) {
      throw invalidRequest(`Invalid query: the clause \`${clause}\` is not supported by this search.`, {
        code: "parameter_invalid",
        param: "query",
      });
    }
    const value = m[5];
    if (m[3] !== undefined) return (pi) => pi.metadata?.[/** @type {string} */ (m[3])] === value;
    const field = /** @type {string} */ (m[1]);
    return (pi) => String(pi[field]) === value;
  });
}

/**
 * @param {import("./intents.mjs").Ctx & { searchLagMs: () => number }} ctx
 * @param {URLSearchParams} params
 */
export function searchIntents(ctx, params) {
  const query = params.get("query");
  if (!query) throw invalidRequest("Missing required param: query.", { code: "parameter_missing", param: "query" });
  const limit = Number(params.get("limit") ?? 10);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
    throw invalidRequest("Invalid limit: must be between 1 and 100", {
      code: "parameter_invalid_integer",
      param: "limit",
    });
  }
  const offset = Number(params.get("page") ? atob(String(params.get("page"))) : 0) || 0;
  const filters = parseQuery(query);
  const visibleBefore = ctx.now() - ctx.searchLagMs();
  const hits = [...ctx.intents.values()]
    .filter((pi) => (ctx.internals.get(pi.id)?.createdMs ?? 0) <= visibleBefore)
    .filter((pi) => filters.every((f) => f(pi)))
    .reverse();
  const data = hits.slice(offset, offset + limit);
  const hasMore = offset + limit < hits.length;
  return {
    object: "search_result",
    data,
    has_more: hasMore,
    next_page: hasMore ? btoa(String(offset + limit)) : null,
    url: "/v1/payment_intents/search",
  };
}
