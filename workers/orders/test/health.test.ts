import { SELF } from "cloudflare:test";
import { expect, it } from "vitest";

it("answers health and serves its OpenAPI document", async () => {
  const res = await SELF.fetch("https://orders/health");
  expect(await res.json()).toEqual({ status: "ok", worker: "orders" });
  const doc = (await (await SELF.fetch("https://orders/openapi.json")).json()) as { paths: Record<string, unknown> };
  expect(Object.keys(doc.paths)).toEqual(
    expect.arrayContaining([
      "/cart",
      "/cart/items",
      "/cart/items/{productId}",
      "/orders",
      "/orders/{id}",
      "/orders/{id}/ship",
    ]),
  );
});

it("documents the short lines of a 409 on POST /orders", async () => {
  type Doc = {
    paths: Record<
      string,
      Record<string, { responses: Record<string, { content: Record<string, { schema: unknown }> }> }>
    >;
    components: { schemas: Record<string, { properties?: Record<string, unknown>; required?: string[] }> };
  };
  const doc = (await (await SELF.fetch("https://orders/openapi.json")).json()) as Doc;
  const conflict = doc.paths["/orders"]?.post?.responses["409"]?.content["application/problem+json"]?.schema;
  expect(JSON.stringify(conflict)).toContain("#/components/schemas/InsufficientStockProblem");
  const schema = doc.components.schemas.InsufficientStockProblem;
  expect(schema?.required).toEqual(expect.arrayContaining(["code", "lines"]));
  expect(Object.keys(schema?.properties ?? {})).toEqual(expect.arrayContaining(["errors", "lines"]));
});
