import { PROBLEM_CONTENT_TYPE, Problem } from "@shop/contracts";

const DESCRIPTIONS: Record<number, string> = {
  400: "The request is not valid (the failing fields are named)",
  401: "No valid bearer token",
  403: "The caller lacks the role",
  404: "Not found (or not yours)",
  409: "Conflicts with the current state",
  415: "The body is not JSON",
  422: "Understood but not possible",
  503: "A neighbouring service is not reachable; retry",
};

/** problem+json responses for the OpenAPI document. */
export function problems(...statuses: number[]) {
  return Object.fromEntries(
    statuses.map((s) => [
      s,
      { description: DESCRIPTIONS[s] ?? "Error", content: { [PROBLEM_CONTENT_TYPE]: { schema: Problem } } },
    ]),
  );
}

export const json = <T>(schema: T, description: string) => ({
  description,
  content: { "application/json": { schema } },
});

/** A bearer token is optional (guest carts): either the scheme or nothing. */
export const optionalBearer: Record<string, string[]>[] = [{ bearer: [] }, {}];
