import { defineConfig } from "drizzle-kit";

/** The cart Durable Object's own SQLite schema (ADR 0020); `pnpm db:generate:do` generates all three. */
export default defineConfig({
  dialect: "sqlite",
  driver: "durable-sqlite",
  schema: "./src/durable-objects/schema/cart.ts",
  out: "./src/durable-objects/migrations/cart",
});
