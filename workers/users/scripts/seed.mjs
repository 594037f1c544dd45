#!/usr/bin/env node
// Prints idempotent SQL for the local `users` database: an admin and a demo customer.
//   node workers/users/scripts/seed.mjs | wrangler d1 execute users --local ...
// Passwords come from SHOP_ADMIN_PASSWORD / SHOP_DEMO_PASSWORD (defaults below) and are
// hashed exactly as the worker hashes them (src/services/credentials/password.ts).
// The credentials are printed on stderr, so stdout stays pure SQL.
import { pbkdf2Sync, randomBytes } from "node:crypto";
import { pathToFileURL } from "node:url";

/** Must match PBKDF2_ITERATIONS in the worker (production Workers cap PBKDF2 at 100,000). */
export const SEED_PBKDF2_ITERATIONS = 100_000;

/** `pbkdf2-sha256$<iterations>$<salt base64>$<hash base64>`, 16-byte salt, 32-byte SHA-256 output. */
export function hashPassword(password, iterations = SEED_PBKDF2_ITERATIONS) {
  const salt = randomBytes(16);
  const hash = pbkdf2Sync(password, salt, iterations, 32, "sha256");
  return `pbkdf2-sha256$${iterations}$${salt.toString("base64")}$${hash.toString("base64")}`;
}

/** Fixed ids (usr_ + 26 lower-case Crockford base32) so seeding twice changes nothing. */
export const SEED_USERS = [
  {
    id: "usr_01jk000000000000000000adm0",
    email: "admin@shop.local",
    name: "Shop Admin",
    role: "admin",
    passwordEnv: "SHOP_ADMIN_PASSWORD",
    defaultPassword: "admin-pass-2026",
  },
  {
    id: "usr_01jk000000000000000000dem0",
    email: "demo@shop.local",
    name: "Demo Customer",
    role: "customer",
    passwordEnv: "SHOP_DEMO_PASSWORD",
    defaultPassword: "demo-pass-2026",
  },
];

const quote = (value) => `'${String(value).replaceAll("'", "''")}'`;

export function seedSql(env = process.env, now = new Date().toISOString()) {
  return SEED_USERS.map((u) => {
    const password = env[u.passwordEnv] || u.defaultPassword;
    const values = [u.id, u.email, u.name, u.role, hashPassword(password), now, now].map(quote);
    // Seeded addresses count as verified (migration 0003): the demo and admin accounts get
    // every email a real, verified customer would.
    return (
      "INSERT OR IGNORE INTO users (id, email, name, phone, role, email_verified, email_verified_at, password_hash, created_at, updated_at) " +
      `VALUES (${values[0]}, ${values[1]}, ${values[2]}, NULL, ${values[3]}, 1, ${values[5]}, ${values[4]}, ${values[5]}, ${values[6]});`
    );
  }).join("\n");
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.stdout.write(`${seedSql()}\n`);
  for (const u of SEED_USERS) {
    const custom = Boolean(process.env[u.passwordEnv]);
    process.stderr.write(
      `  ${u.role.padEnd(8)} ${u.email} / ${custom ? `(from ${u.passwordEnv})` : u.defaultPassword}\n`,
    );
  }
}
