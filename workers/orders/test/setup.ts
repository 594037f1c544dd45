import { applyD1Migrations, env } from "cloudflare:test";

await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
await applyD1Migrations(env.TEST_PRODUCTS_DB, env.TEST_PRODUCTS_MIGRATIONS);
await applyD1Migrations(env.TEST_PAYMENTS_DB, env.TEST_PAYMENTS_MIGRATIONS);
await applyD1Migrations(env.TEST_USERS_DB, env.TEST_USERS_MIGRATIONS);
