import type { OrdersApp } from "../app";

/** This worker's OpenAPI document; the gateway merges it with the others. */
export function registerOpenApi(app: OrdersApp) {
  app.openAPIRegistry.registerComponent("securitySchemes", "bearer", {
    type: "http",
    scheme: "bearer",
    bearerFormat: "JWT",
  });
  app.doc31("/openapi.json", {
    openapi: "3.1.0",
    info: { title: "Shop orders", version: "1.0.0", description: "Carts, orders, checkout and order history." },
  });
}
