// The whole system on one machine: every worker in one `wrangler dev` (gateway first, so it
// owns the port), local D1 migrated and seeded into one persisted state folder, the local SMS
// sink beside it. Used by `npm start` and, programmatically, by the end-to-end and battery suites.
import { execFileSync, spawn } from "node:child_process";
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { experimental_readRawConfig } from "wrangler";

export const ROOT = resolve(import.meta.dirname, "..");
/** Start order: the gateway must be first (the first config gets the port). */
export const WORKERS = ["gateway", "users", "products", "orders", "payments", "notifications"];
const WRANGLER = join(
  dirname(createRequire(join(ROOT, "package.json")).resolve("wrangler")),
  "..",
  "bin",
  "wrangler.js",
);
const ENV = { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false", NO_COLOR: "1" };

export const presentWorkers = () => WORKERS.filter((w) => existsSync(join(ROOT, "workers", w, "wrangler.toml")));

function wrangler(args, opts = {}) {
  return execFileSync(process.execPath, [WRANGLER, ...args], { cwd: ROOT, env: ENV, encoding: "utf8", ...opts });
}

/** Names of the D1 databases a worker declares (top level, i.e. local development). */
function d1Of(worker) {
  const { rawConfig } = experimental_readRawConfig({ config: join(ROOT, "workers", worker, "wrangler.toml") });
  return (rawConfig.d1_databases ?? []).map((d) => d.database_name);
}

/** Local secrets, generated once into each worker's git-ignored .dev.vars. */
export function ensureDevSecrets() {
  const users = join(ROOT, "workers", "users", ".dev.vars");
  if (existsSync(join(ROOT, "workers", "users")) && !existsSync(users)) {
    const { privateKey } = generateKeyPairSync("ed25519");
    const jwk = {
      ...privateKey.export({ format: "jwk" }),
      kid: `dev-${Date.now().toString(36)}`,
      alg: "EdDSA",
      use: "sig",
    };
    writeFileSync(users, `JWT_PRIVATE_JWK='${JSON.stringify(jwk)}'\n`, { mode: 0o600 });
  }
  const notifications = join(ROOT, "workers", "notifications", ".dev.vars");
  if (existsSync(join(ROOT, "workers", "notifications")) && !existsSync(notifications)) {
    writeFileSync(
      notifications,
      `SMS_ACCOUNT_SID='AC${randomBytes(16).toString("hex")}'\nSMS_AUTH_TOKEN='${randomBytes(16).toString("hex")}'\n`,
      { mode: 0o600 },
    );
  }
}

/** Applies every worker's D1 migrations locally, then runs each worker's own seed. */
export function migrateAndSeed(stateDir, log = console.log) {
  for (const worker of presentWorkers()) {
    const config = join("workers", worker, "wrangler.toml");
    for (const db of d1Of(worker)) {
      wrangler(["d1", "migrations", "apply", db, "--local", "--persist-to", stateDir, "-c", config], {
        stdio: ["ignore", "ignore", "pipe"],
      });
      log(`  migrated ${worker}/${db}`);
    }
    const seed = join(ROOT, "workers", worker, "scripts", "seed.mjs");
    if (existsSync(seed) && d1Of(worker).length) {
      const sql = execFileSync(process.execPath, [seed], { cwd: ROOT, env: ENV, encoding: "utf8" });
      const file = join(stateDir, `seed-${worker}.sql`);
      writeFileSync(file, sql);
      wrangler(
        ["d1", "execute", d1Of(worker)[0], "--local", "--persist-to", stateDir, "-c", config, "--file", file, "--yes"],
        {
          stdio: ["ignore", "ignore", "pipe"],
        },
      );
      log(`  seeded ${worker}`);
    }
  }
}

/** Healthy when every worker that exists in this tree answers through the gateway. */
/**
 * `wrangler dev --var` reaches only the first of several configs, so per-run variables (the
 * SMS sink's port, test-only switches) go into a per-run copy of each worker's config, written
 * beside the original (relative paths and .dev.vars keep working) and removed on stop.
 */
function runConfigs(runId, vars) {
  return presentWorkers().map((w) => {
    const original = join(ROOT, "workers", w, "wrangler.toml");
    if (!Object.keys(vars).length) return { worker: w, path: original, generated: false };
    const { rawConfig } = experimental_readRawConfig({ config: original });
    rawConfig.vars = { ...rawConfig.vars, ...vars };
    const path = join(ROOT, "workers", w, `.wrangler.run-${runId}.json`);
    writeFileSync(path, JSON.stringify(rawConfig, null, 2));
    return { worker: w, path, generated: true };
  });
}

/** The sink must be ours and listening: a port taken by someone else would swallow the SMS. */
async function waitForSink(url, child, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the SMS sink exited (${child.exitCode}); is ${url} already in use?`);
    try {
      if ((await fetch(`${url}/health`)).ok) return;
    } catch {}
    await sleep(100);
  }
  throw new Error(`the SMS sink did not start at ${url}`);
}

async function waitForHealth(url, child, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  const expected = presentWorkers().filter((w) => w !== "gateway");
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`wrangler dev exited with ${child.exitCode ?? child.signalCode}`);
    }
    try {
      const res = await fetch(`${url}/health`);
      const body = await res.json();
      if (expected.every((w) => body.services?.[w]?.status === "ok")) return;
    } catch {}
    await sleep(250);
  }
  throw new Error(`the system did not become healthy at ${url} within ${timeoutMs} ms`);
}

/**
 * Starts everything. Options: port (8787), stateDir (.state), fresh (wipe state first),
 * smsPort (8788), logFile (append wrangler's output there instead of the console),
 * vars (extra --var NAME:VALUE for every worker, e.g. test-only switches).
 */
export async function startSystem(opts = {}) {
  const port = Number(opts.port ?? process.env.SHOP_PORT ?? 8787);
  const stateDir = resolve(ROOT, opts.stateDir ?? process.env.SHOP_STATE_DIR ?? ".state");
  const smsPort = Number(opts.smsPort ?? process.env.SMS_SINK_PORT ?? port + 1);
  const log = opts.quiet ? () => {} : console.log;
  if (opts.fresh) rmSync(stateDir, { recursive: true, force: true });
  if (opts.fresh && opts.logFile) rmSync(opts.logFile, { force: true });
  mkdirSync(stateDir, { recursive: true });
  ensureDevSecrets();
  log(`Preparing local databases in ${stateDir}`);
  migrateAndSeed(stateDir, log);

  const children = [];
  const out = opts.logFile ? { stdio: ["ignore", "pipe", "pipe"] } : { stdio: ["ignore", "inherit", "inherit"] };
  const pipeTo = (child) => {
    if (!opts.logFile) return;
    const append = (chunk) => writeFileSync(opts.logFile, chunk, { flag: "a" });
    child.stdout.on("data", append);
    child.stderr.on("data", append);
  };

  const sink = join(ROOT, "workers", "notifications", "scripts", "sms-sink.mjs");
  if (existsSync(sink)) {
    const taken = await fetch(`http://127.0.0.1:${smsPort}/health`).then(
      () => true,
      () => false,
    );
    if (taken) throw new Error(`port ${smsPort} (SMS sink) is already in use: stop whatever runs there`);
    const child = spawn(process.execPath, [sink], {
      cwd: ROOT,
      env: { ...ENV, SMS_SINK_PORT: String(smsPort), SMS_SINK_DIR: join(stateDir, "sms") },
      ...out,
    });
    pipeTo(child);
    children.push(child);
    try {
      await waitForSink(`http://127.0.0.1:${smsPort}`, child);
    } catch (err) {
      if (child.exitCode === null) child.kill("SIGTERM");
      throw err;
    }
  }

  const vars = { ...(smsPort !== 8788 ? { SMS_API_URL: `http://127.0.0.1:${smsPort}` } : {}), ...opts.vars };
  const configs = runConfigs(port, vars);
  const args = [WRANGLER, "dev"];
  for (const c of configs) args.push("-c", c.path);
  args.push(
    "--persist-to",
    stateDir,
    "--port",
    String(port),
    "--ip",
    "127.0.0.1",
    "--show-interactive-dev-session=false",
  );
  const dev = spawn(process.execPath, args, { cwd: ROOT, env: ENV, detached: Boolean(opts.detached), ...out });
  pipeTo(dev);
  children.push(dev);

  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    // A child that ended by a signal has exitCode null but a signalCode: it is gone too.
    const running = (c) => c.exitCode === null && c.signalCode === null;
    for (const child of children.reverse()) {
      if (running(child)) child.kill("SIGTERM");
    }
    await Promise.all(children.map((c) => (running(c) ? new Promise((r) => c.once("exit", r)) : null)));
    for (const c of configs) if (c.generated) rmSync(c.path, { force: true });
  };
  try {
    await waitForHealth(url, dev, opts.timeoutMs ?? 90_000);
  } catch (err) {
    await stop();
    throw err;
  }
  return { url, port, smsPort, stateDir, dev, stop, smsDir: join(stateDir, "sms") };
}
