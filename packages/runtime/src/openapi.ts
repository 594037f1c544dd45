import { PROBLEM_CONTENT_TYPE, Problem } from "@shop/contracts";

const DESCRIPTIONS: Record<number, string> = {
  400: "The request is not valid (the failing fields are named)",
  401: "No valid bearer token",
  403: "The caller lacks the role this needs",
  404: "Not found (or not yours)",
  409: "Conflicts with the current state",
  412: "If-Match does not match the current version",
  413: "Body over 1 MB",
  415: "Body is not JSON",
  422: "Understood, but not possible",
  428: "If-Match is required",
  429: "Too many requests; see Retry-After",
  503: "A dependency is unavailable; retry",
};

/** The problem+json responses a route declares in its OpenAPI document (every error has this shape). */
export function problemResponses(...statuses: number[]) {
  return Object.fromEntries(
    statuses.map((s) => [
      s,
      { description: DESCRIPTIONS[s] ?? "Error", content: { [PROBLEM_CONTENT_TYPE]: { schema: Problem } } },
    ]),
  );
}
