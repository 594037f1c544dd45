import { defineConfig } from "drizzle-kit";

/** The order Durable Object's own SQLite schema (ADR 0020); `pnpm db:generate:do` generates all three. */
export default defineConfig({
  dialect: "sqlite",
  driver: "durable-sqlite",
  schema: "./src/durable-objects/schema/order.ts",
  out: "./src/durable-objects/migrations/order",
});
