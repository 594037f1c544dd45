import { expect, it } from "vitest";
import { call } from "../helpers";

it("serves its OpenAPI document with every route and the bearer scheme", async () => {
  const res = await call("GET", "/openapi.json");
  expect(res.status).toBe(200);
  const doc = (await res.json()) as {
    openapi: string;
    paths: Record<string, Record<string, unknown>>;
    components: { securitySchemes: Record<string, unknown> };
  };
  expect(doc.openapi).toBe("3.1.0");
  expect(Object.keys(doc.paths).sort()).toEqual([
    "/.well-known/jwks.json",
    "/users",
    "/users/login",
    "/users/logout",
    "/users/me",
    "/users/refresh",
    "/users/{id}",
  ]);
  expect(Object.keys(doc.paths["/users"] ?? {}).sort()).toEqual(["get", "post"]);
  expect(Object.keys(doc.paths["/users/me"] ?? {}).sort()).toEqual(["get", "patch"]);
  expect(doc.components.securitySchemes.bearer).toMatchObject({ type: "http", scheme: "bearer" });
});
