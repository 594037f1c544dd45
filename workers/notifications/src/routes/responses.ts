import { PROBLEM_CONTENT_TYPE, Problem } from "@shop/contracts";

/** The problem+json responses routes declare in OpenAPI (every error body has this shape). */
export function problems(...statuses: number[]) {
  const descriptions: Record<number, string> = {
    400: "The request is not valid (the failing fields are named)",
    401: "Missing or invalid access token",
    403: "The caller lacks the role this needs",
    404: "Not found",
    409: "Conflict",
    429: "Too many requests; see Retry-After",
    503: "A dependency is unavailable",
  };
  return Object.fromEntries(
    statuses.map((s) => [
      s,
      { description: descriptions[s] ?? "Error", content: { [PROBLEM_CONTENT_TYPE]: { schema: Problem } } },
    ]),
  );
}
