import { describe, expect, it } from "vitest";
import { baseUrl, call } from "../support/http";

describe("the edge", () => {
  it("reports every service healthy", async () => {
    const res = await call("GET", "/health");
    expect(res.status).toBe(200);
    expect(res.body.status).toBe("ok");
    for (const svc of ["users", "products", "orders", "payments", "notifications"]) {
      expect(res.body.services[svc]?.status, svc).toBe("ok");
    }
  });

  it("serves one merged OpenAPI document naming every service's routes, and the docs page", async () => {
    const res = await call("GET", "/openapi.json");
    expect(res.status).toBe(200);
    expect(res.body.info.description ?? "").not.toMatch(/Not included/);
    const paths = Object.keys(res.body.paths);
    for (const p of ["/users", "/users/login", "/products", "/cart", "/orders", "/payments", "/notifications"]) {
      expect(paths, p).toContain(p);
    }
    const docs = await fetch(`${baseUrl()}/docs`);
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain("/openapi.json");
  });

  it("sets security headers and strips client-supplied internal headers", async () => {
    const res = await fetch(`${baseUrl()}/health`, { headers: { "x-shop-client-ip": "6.6.6.6" } });
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("strict-transport-security")).toContain("max-age=");
    expect(res.headers.get("x-request-id")).toBeTruthy();
  });

  it("answers CORS preflight only for allowed origins", async () => {
    const ok = await fetch(`${baseUrl()}/products`, {
      method: "OPTIONS",
      headers: { origin: "http://localhost:8787", "access-control-request-method": "GET" },
    });
    expect(ok.headers.get("access-control-allow-origin")).toBe("http://localhost:8787");
    const bad = await fetch(`${baseUrl()}/products`, {
      method: "OPTIONS",
      headers: { origin: "https://evil.example", "access-control-request-method": "GET" },
    });
    expect(bad.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("answers unknown paths with a problem+json 404", async () => {
    const res = await call("GET", "/nope");
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
  });
});
