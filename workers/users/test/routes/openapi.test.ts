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
    "/users/me/addresses",
    "/users/me/addresses/{id}",
    "/users/me/email/verify",
    "/users/me/phone/confirm",
    "/users/me/phone/verify",
    "/users/refresh",
    "/users/verify-email",
    "/users/{id}",
  ]);
  expect(Object.keys(doc.paths["/users/verify-email"] ?? {}).sort()).toEqual(["get", "post"]);
  expect(Object.keys(doc.paths["/users"] ?? {}).sort()).toEqual(["get", "post"]);
  expect(Object.keys(doc.paths["/users/me"] ?? {}).sort()).toEqual(["get", "patch"]);
  expect(doc.components.securitySchemes.bearer).toMatchObject({ type: "http", scheme: "bearer" });
});

it("documents every password rule the route enforces", async () => {
  const doc = (await (await call("GET", "/openapi.json")).json()) as {
    components: { schemas: Record<string, { properties: Record<string, { pattern?: string; minLength?: number }> }> };
  };
  const schema = doc.components.schemas.RegisterBody?.properties.password;
  expect(schema?.minLength).toBe(10);
  const pattern = new RegExp(schema?.pattern ?? "");
  expect(pattern.test("only-letters-here")).toBe(false);
  expect(pattern.test("1234567890")).toBe(false);
  expect(pattern.test("letters-and-1-digit")).toBe(true);
  expect(pattern.test("letters on one line\n1 digit on the next")).toBe(true);
  // And the route refuses exactly what the document says it refuses.
  for (const password of ["only-letters-here", "1234567890"]) {
    const res = await call("POST", "/users", {
      body: { email: `pw-${crypto.randomUUID()}@example.com`, password, name: "Pat" },
    });
    expect(res.status).toBe(400);
    const problem = (await res.json()) as { errors: { path: string; message: string }[] };
    expect(problem.errors).toEqual([{ path: "password", message: "must contain a letter and a digit" }]);
  }
});

it("documents the name rule, and the route refuses what the document refuses", async () => {
  const doc = (await (await call("GET", "/openapi.json")).json()) as {
    components: { schemas: Record<string, { properties: Record<string, { pattern?: string; maxLength?: number }> }> };
  };
  const schema = doc.components.schemas.RegisterBody?.properties.name;
  expect(schema?.maxLength).toBe(100);
  // JSON Schema patterns are ECMA-262 with Unicode semantics: the `u` flag.
  const pattern = new RegExp(schema?.pattern ?? "", "u");
  expect(pattern.test("Zoë O'Brien-Smith")).toBe(true);
  expect(pattern.test("Refund at evil.example")).toBe(false);
  expect(pattern.test("12345")).toBe(false);
});
