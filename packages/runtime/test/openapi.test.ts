import { describe, expect, it } from "vitest";
import { problemResponses } from "../src/openapi";

describe("problemResponses()", () => {
  it("declares Retry-After on a 429, and only there", () => {
    const responses = problemResponses(400, 429, 503) as Record<string, { headers?: Record<string, unknown> }>;
    expect(responses[429]?.headers).toEqual({
      "Retry-After": { description: expect.any(String), schema: { type: "integer", minimum: 1 } },
    });
    expect(responses[400]?.headers).toBeUndefined();
    expect(responses[503]?.headers).toBeUndefined();
  });
});
