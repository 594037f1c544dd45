import { PROBLEM_CONTENT_TYPE, Problem } from "@shop/contracts";

/** The problem+json responses routes declare in OpenAPI (every error body has this shape). */
export function problems(...statuses: number[]) {
  const descriptions: Record<number, string> = {
    400: "The request is not valid (the failing fields are named)",
    401: "Missing or invalid access token",
    403: "The caller lacks the admin role",
    404: "Not found",
    409: "Conflict",
    412: "If-Match does not match the current version",
    428: "If-Match is required",
    503: "The catalog is unavailable and no cached copy exists",
  };
  return Object.fromEntries(
    statuses.map((s) => [
      s,
      { description: descriptions[s] ?? "Error", content: { [PROBLEM_CONTENT_TYPE]: { schema: Problem } } },
    ]),
  );
}

export const CACHE_HEADERS = {
  etag: { schema: { type: "string" as const }, description: "Changes whenever the catalog changes" },
  "cache-control": { schema: { type: "string" as const } },
};
