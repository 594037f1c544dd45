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
