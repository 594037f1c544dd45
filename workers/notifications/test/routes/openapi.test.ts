import { describe, expect, it } from "vitest";
import { api } from "../helpers";

describe("GET /openapi.json", () => {
  it("documents every public route with bearer security, for the gateway to merge", async () => {
    const res = await api("/openapi.json");
    expect(res.status).toBe(200);
    const doc = (await res.json()) as {
      paths: Record<string, Record<string, { security?: unknown[] }>>;
      components: { securitySchemes: Record<string, unknown> };
    };
    expect(Object.keys(doc.paths).sort()).toEqual([
      "/notifications",
      "/notifications/dead-letters",
      "/notifications/dead-letters/{id}/replay",
      "/notifications/preferences",
      "/notifications/send",
    ]);
    expect(doc.paths["/notifications/send"]?.post?.security).toEqual([{ bearer: [] }]);
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: "http", scheme: "bearer" });
  });
});
