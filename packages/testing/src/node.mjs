/**
 * Test plumbing that runs in Node, inside a worker's vitest.config.ts: a throwaway signing
 * key per test run, and the real neighbouring workers as auxiliary workers (their bundles,
 * with the bindings their own wrangler.toml declares).
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { exportJWK, generateKeyPair } from "jose";
import { unstable_getMiniflareWorkerOptions } from "wrangler";

export const REPO_ROOT = resolve(import.meta.dirname, "../../..");
const WRANGLER_BIN = join(dirname(createRequire(import.meta.url).resolve("wrangler")), "..", "bin", "wrangler.js");

/** A fresh Ed25519 private JWK (JSON) for this test run; never written to disk. */
export async function generateTestSigningJwk(kid = `test-${Date.now()}`) {
  const { privateKey } = await generateKeyPair("EdDSA", { crv: "Ed25519", extractable: true });
  return JSON.stringify({ ...(await exportJWK(privateKey)), kid, alg: "EdDSA", use: "sig" });
}

/**
 * @param {string} name
 * Builds `workers/<name>/dist/index.js` with wrangler (offline, ~2 s) unless it is fresh. */
export function bundleWorker(name) {
  const dir = join(REPO_ROOT, "workers", name);
  const out = join(dir, "dist", "index.js");
  if (!existsSync(out) || process.env.SHOP_REBUILD_AUX !== "0") {
    execFileSync(
      process.execPath,
      [WRANGLER_BIN, "deploy", "--dry-run", "--outdir", "dist", "--config", "wrangler.toml", "--env="],
      {
        cwd: dir,
        stdio: ["ignore", "ignore", "inherit"],
        env: { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false" },
      },
    );
  }
  return out;
}

/**
 * Miniflare options for the real worker `name` as an auxiliary worker in another worker's
 * tests: its bundle plus the bindings from its wrangler.toml. `bindings` adds or overrides
 * plain vars/secrets (e.g. the test signing key).
 */
/** @param {string} name @param {Record<string, unknown>} [bindings] */
export function auxiliaryWorker(name, bindings = {}) {
  const scriptPath = bundleWorker(name);
  const { workerOptions } = unstable_getMiniflareWorkerOptions(join(REPO_ROOT, "workers", name, "wrangler.toml"));
  const all = /** @type {Record<string, unknown>} */ (workerOptions);
  // Only the binding kinds this project uses; the rest of wrangler's output is v4-only noise.
  const keep = [
    "compatibilityDate",
    "compatibilityFlags",
    "d1Databases",
    "queueProducers",
    "queueConsumers",
    "durableObjects",
    "serviceBindings",
    "ratelimits",
    "email",
  ];
  const options = Object.fromEntries(Object.entries(all).filter(([k]) => keep.includes(k)));
  return {
    ...options,
    name,
    modules: true,
    scriptPath,
    modulesRoot: join(REPO_ROOT, "workers", name, "dist"),
    bindings: { .../** @type {Record<string, unknown>} */ (all.bindings), ...bindings },
  };
}
