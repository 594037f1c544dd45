/**
 * Test plumbing that runs in Node, inside a worker's vitest.config.ts: a throwaway signing
 * key per test run, and the real neighbouring workers as auxiliary workers (their bundles,
 * with the bindings their own wrangler.toml declares).
 */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { exportJWK, generateKeyPair } from "jose";
import { experimental_readRawConfig, unstable_getMiniflareWorkerOptions } from "wrangler";

export const REPO_ROOT = resolve(import.meta.dirname, "../../..");
const WRANGLER_BIN = join(dirname(createRequire(import.meta.url).resolve("wrangler")), "..", "bin", "wrangler.js");

/** A fresh Ed25519 private JWK (JSON) for this test run; never written to disk. */
export async function generateTestSigningJwk(kid = `test-${Date.now()}`) {
  const { privateKey } = await generateKeyPair("EdDSA", { crv: "Ed25519", extractable: true });
  return JSON.stringify({ ...(await exportJWK(privateKey)), kid, alg: "EdDSA", use: "sig" });
}

/**
 * What an armed build aliases (ADR 0015): the runtime's test harness (fault switches, D1 meters,
 * Server-Timing) and, when the worker has one, its own (`#harness`, e.g. the products worker's
 * deliberately broken reserve). Production builds resolve both to their inert defaults.
 * @param {string} name
 */
export function harnessAliases(name, root = REPO_ROOT) {
  /** @type {Record<string, string>} */
  const aliases = { "@shop/runtime/harness": join(root, "packages", "runtime", "src", "harness", "armed.ts") };
  const own = join(root, "workers", name, "src", "harness", "armed.ts");
  if (existsSync(own)) aliases["#harness"] = own;
  return aliases;
}

/**
 * Writes a copy of the worker's wrangler config beside it (relative paths and .dev.vars keep
 * working) with `vars` added and, with `harness`, the armed harness aliased in. Returns its
 * path; the caller removes it. Files named `.wrangler.run-*` are git-ignored. `root`: the
 * checkout the worker comes from (another release's, for the version-skew runs).
 * @param {string} name @param {{ tag: string, vars?: Record<string, string>, harness?: boolean, root?: string }} options
 */
export function writeRunConfig(name, { tag, vars = {}, harness = false, root = REPO_ROOT }) {
  const original = join(root, "workers", name, "wrangler.toml");
  const { rawConfig } = experimental_readRawConfig({ config: original });
  rawConfig.vars = { ...rawConfig.vars, ...vars };
  if (harness) rawConfig.alias = { ...rawConfig.alias, ...harnessAliases(name, root) };
  const path = join(root, "workers", name, `.wrangler.run-${tag}.json`);
  writeFileSync(path, JSON.stringify(rawConfig, null, 2));
  return path;
}

/**
 * Builds `workers/<name>/dist/index.js` with wrangler (offline, ~2 s) unless it is fresh: the
 * production bundle. With `harness`, the armed build instead, into `dist-harness/` (the
 * benchmark's meters, ADR 0015).
 * @param {string} name @param {{ harness?: boolean }} [options]
 */
export function bundleWorker(name, { harness = false } = {}) {
  const dir = join(REPO_ROOT, "workers", name);
  const outdir = harness ? "dist-harness" : "dist";
  const out = join(dir, outdir, "index.js");
  if (!existsSync(out) || process.env.SHOP_REBUILD_AUX !== "0") {
    const config = harness ? writeRunConfig(name, { tag: `harness-${process.pid}`, harness }) : "wrangler.toml";
    try {
      execFileSync(
        process.execPath,
        [WRANGLER_BIN, "deploy", "--dry-run", "--outdir", outdir, "--config", config, "--env="],
        {
          cwd: dir,
          stdio: ["ignore", "ignore", "inherit"],
          env: { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false" },
        },
      );
    } finally {
      if (harness) rmSync(config, { force: true });
    }
  }
  return out;
}

/**
 * The bundle's modules: its entry, and the text modules wrangler wrote beside it (the orders
 * worker's Durable Object migrations import their .sql; ADR 0020). Miniflare does not follow
 * imports itself.
 * @param {string} scriptPath
 */
function bundleModules(scriptPath) {
  const dir = dirname(scriptPath);
  const text = readdirSync(dir).filter((f) => /\.(sql|txt|html)$/.test(f));
  return [{ type: "ESModule", path: scriptPath }, ...text.map((f) => ({ type: "Text", path: join(dir, f) }))];
}

/**
 * Miniflare options for the real worker `name` as an auxiliary worker in another worker's
 * tests: its bundle plus the bindings from its wrangler.toml. `bindings` adds or overrides
 * plain vars/secrets (e.g. the test signing key). `harness` loads its armed build instead of
 * the production one (fault switches, D1 meters; ADR 0015).
 */
/** @param {string} name @param {Record<string, unknown>} [bindings] @param {{ harness?: boolean }} [options] */
export function auxiliaryWorker(name, bindings = {}, { harness = false } = {}) {
  const scriptPath = bundleWorker(name, { harness });
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
    modules: bundleModules(scriptPath),
    modulesRoot: dirname(scriptPath),
    bindings: { .../** @type {Record<string, unknown>} */ (all.bindings), ...bindings },
  };
}
