// The whole system on one machine: every worker in one `wrangler dev` (gateway first, so it
// owns the port), local D1 migrated and seeded into one persisted state folder, the local SMS
// sink beside it. Used by `npm start` and, programmatically, by the end-to-end and battery suites.
import { execFile, execFileSync, spawn } from "node:child_process";
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { setTimeout as sleep } from "node:timers/promises";
import { promisify, stripVTControlCharacters } from "node:util";
import { experimental_readRawConfig } from "wrangler";
import { writeRunConfig } from "../packages/testing/src/node.mjs";

export const ROOT = resolve(import.meta.dirname, "..");
/** Start order: the gateway must be first (the first config gets the port). */
export const WORKERS = ["gateway", "users", "products", "orders", "payments", "notifications"];
export const WRANGLER = join(
  dirname(createRequire(join(ROOT, "package.json")).resolve("wrangler")),
  "..",
  "bin",
  "wrangler.js",
);
const execFileAsync = promisify(execFile);
const ENV = { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false", NO_COLOR: "1" };

export const presentWorkers = (root = ROOT) =>
  WORKERS.filter((w) => existsSync(join(root, "workers", w, "wrangler.toml")));

/**
 * Where a worker comes from: this checkout, unless `trees` maps it to the root of another
 * checkout of the repository (e.g. the last release, for the version-skew runs): its
 * wrangler.toml, sources, migrations and seed then all come from that tree.
 */
export function treeOf(worker, trees = {}) {
  const root = resolve(trees[worker] ?? ROOT);
  if (!existsSync(join(root, "workers", worker, "wrangler.toml")))
    throw new Error(`${worker} does not exist in ${root}`);
  return root;
}

/** Names of the D1 databases a worker declares (top level, i.e. local development). */
function d1Of(worker, root = ROOT) {
  const { rawConfig } = experimental_readRawConfig({ config: join(root, "workers", worker, "wrangler.toml") });
  return (rawConfig.d1_databases ?? []).map((d) => d.database_name);
}

/** The bucket an R2 binding of a worker names (local storage is kept per bucket name). */
function r2BucketOf(worker, root, binding) {
  const { rawConfig } = experimental_readRawConfig({ config: join(root, "workers", worker, "wrangler.toml") });
  const bucket = (rawConfig.r2_buckets ?? []).find((b) => b.binding === binding)?.bucket_name;
  if (!bucket) throw new Error(`${worker} has no R2 binding ${binding}`);
  return bucket;
}

/** Local secrets, generated once into each worker's git-ignored .dev.vars (of the tree at `root`). */
export function ensureDevSecrets(root = ROOT) {
  const users = join(root, "workers", "users", ".dev.vars");
  if (existsSync(join(root, "workers", "users")) && !existsSync(users)) {
    const { privateKey } = generateKeyPairSync("ed25519");
    const jwk = {
      ...privateKey.export({ format: "jwk" }),
      kid: `dev-${Date.now().toString(36)}`,
      alg: "EdDSA",
      use: "sig",
    };
    writeFileSync(users, `JWT_PRIVATE_JWK='${JSON.stringify(jwk)}'\n`, { mode: 0o600 });
  }
  const notifications = join(root, "workers", "notifications", ".dev.vars");
  if (existsSync(join(root, "workers", "notifications")) && !existsSync(notifications)) {
    writeFileSync(
      notifications,
      `SMS_ACCOUNT_SID='AC${randomBytes(16).toString("hex")}'\nSMS_AUTH_TOKEN='${randomBytes(16).toString("hex")}'\n`,
      { mode: 0o600 },
    );
  }
}

/**
 * The commands that migrate and seed one state folder, in order: every worker's D1 migrations,
 * then its own seed script (whose SQL output goes to a file that `d1 execute` then runs).
 * `trees` (see treeOf) says which checkout's migrations and seed each worker's database gets.
 */
function* migrationSteps(stateDir, trees = {}) {
  for (const worker of presentWorkers()) {
    const root = treeOf(worker, trees);
    const config = join(root, "workers", worker, "wrangler.toml");
    for (const db of d1Of(worker, root)) {
      yield {
        args: [WRANGLER, "d1", "migrations", "apply", db, "--local", "--persist-to", stateDir, "-c", config],
        done: `  migrated ${worker}/${db}`,
      };
    }
    const seed = join(root, "workers", worker, "scripts", "seed.mjs");
    if (existsSync(seed) && d1Of(worker, root).length) {
      const file = join(stateDir, `seed-${worker}.sql`);
      yield { args: [seed], output: file };
      const execute = ["d1", "execute", d1Of(worker, root)[0], "--local", "--persist-to", stateDir, "-c", config];
      yield {
        args: [WRANGLER, ...execute, "--file", file, "--yes"],
        done: `  seeded ${worker}`,
      };
    }
    // Objects for the worker's local R2 (the demo images): the script writes the files and
    // says where, one `r2 bulk put` stores them in the bucket its binding names.
    const seedR2 = join(root, "workers", worker, "scripts", "seed-r2.mjs");
    if (existsSync(seedR2)) {
      const manifest = join(stateDir, `seed-${worker}-r2.json`);
      yield { args: [seedR2, join(stateDir, `seed-${worker}-r2`)], output: manifest };
      const { binding, contentType, cacheControl, pairs } = JSON.parse(readFileSync(manifest, "utf8"));
      const pairsFile = join(stateDir, `seed-${worker}-r2-pairs.json`);
      writeFileSync(pairsFile, JSON.stringify(pairs));
      const put = ["r2", "bulk", "put", r2BucketOf(worker, root, binding), "--filename", pairsFile];
      yield {
        args: [
          WRANGLER,
          ...put,
          "--content-type",
          contentType,
          "--cache-control",
          cacheControl,
          "--local",
          "--persist-to",
          stateDir,
          "-c",
          config,
        ],
        done: `  seeded ${worker} R2 (${pairs.length} objects)`,
      };
    }
  }
}

const stepOptions = (step) => ({
  cwd: ROOT,
  env: ENV,
  encoding: "utf8",
  maxBuffer: 64 * 1024 * 1024,
  ...(step.output ? {} : { stdio: ["ignore", "ignore", "pipe"] }),
});

/** Applies every worker's D1 migrations locally, then runs each worker's own seed. */
export function migrateAndSeed(stateDir, log = console.log, trees = {}) {
  for (const step of migrationSteps(stateDir, trees)) {
    const out = execFileSync(process.execPath, step.args, stepOptions(step));
    if (step.output) writeFileSync(step.output, out);
    if (step.done) log(step.done);
  }
}

/** The same, without blocking: two systems starting at once prepare their state side by side. */
async function migrateAndSeedAsync(stateDir, log, signal, trees = {}) {
  for (const step of migrationSteps(stateDir, trees)) {
    signal?.throwIfAborted();
    // execFile collects stdout and stderr itself (a failure carries both in its message).
    const { stdio: _, ...options } = stepOptions(step);
    const { stdout } = await execFileAsync(process.execPath, step.args, { ...options, ...(signal ? { signal } : {}) });
    if (step.output) writeFileSync(step.output, stdout);
    if (step.done) log(step.done);
  }
}

/**
 * `wrangler dev --var` reaches only the first of several configs, so per-run variables (the
 * SMS sink's port, test-only switches) go into a per-run copy of each worker's config, written
 * beside the original (relative paths and .dev.vars keep working) and removed on stop. With
 * `harness`, the copies also alias the armed test harness in (fault switches, D1 meters,
 * Server-Timing; ADR 0015): the default build has none of it.
 */
function runConfigs(runId, vars, harness, trees = {}) {
  return presentWorkers().map((w) => {
    const root = treeOf(w, trees);
    if (!Object.keys(vars).length && !harness) {
      return { worker: w, path: join(root, "workers", w, "wrangler.toml"), generated: false };
    }
    return { worker: w, path: writeRunConfig(w, { tag: String(runId), vars, harness, root }), generated: true };
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

/** Healthy when every worker that exists in this tree answers through the gateway. */
async function waitForHealth(url, child, timeoutMs, { signal, onHealth } = {}) {
  const deadline = Date.now() + timeoutMs;
  const expected = presentWorkers().filter((w) => w !== "gateway");
  while (Date.now() < deadline) {
    signal?.throwIfAborted();
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`wrangler dev exited with ${child.exitCode ?? child.signalCode}`);
    }
    let body;
    try {
      body = await (await fetch(`${url}/health`)).json();
    } catch {}
    if (body) {
      onHealth?.(body);
      if (expected.every((w) => body.services?.[w]?.status === "ok")) return;
    }
    await sleep(250);
  }
  throw new Error(`the system did not become healthy at ${url} within ${timeoutMs} ms`);
}

/** The payment provider modes the system runs in: the simulated gateway, or Stripe (a fake Stripe server locally). */
export const PAYMENT_MODES = ["simulated", "stripe"];

/**
 * The fake Stripe server (packages/testing) for a system whose gateway listens on `port`: its
 * webhooks go to that gateway's `/payments/webhook`, signed with a secret made for this run.
 * Returned with the secret, so a caller can keep one fake across restarts of the system.
 */
export async function startStripeFake({ port, stripePort, delivery } = {}) {
  const { startFakeStripe } = await import("../packages/testing/src/fake-stripe.mjs");
  const webhookSecret = `whsec_fake_${randomBytes(12).toString("hex")}`;
  const fake = await startFakeStripe({
    port: stripePort,
    webhookUrl: `http://127.0.0.1:${port}/payments/webhook`,
    webhookSecret,
    ...(delivery ? { delivery } : {}),
  });
  return { ...fake, webhookSecret, stop: () => fake.stop() };
}

/**
 * Starts everything. Options: port (8787), stateDir (.state), fresh (wipe state first),
 * smsPort (8788), logFile (append wrangler's output there instead of the console),
 * vars (extra --var NAME:VALUE for every worker), harness (build every worker with the armed
 * test harness: `/__faults` switches, `/__meters`, Server-Timing — the battery's systems),
 * provider ("simulated", or "stripe": payments talks to a fake Stripe server started here on
 * stripePort, default port + 2, and stopped with the system; pass `stripe` — a running
 * `startStripeFake()` — to keep one fake across restarts, and the caller stops it).
 * Also: quiet (no progress lines) or log (where progress lines go, default the console);
 * onLine(line, source) receives every output line of wrangler ("wrangler") and the SMS sink
 * ("sms-sink") as it comes (the console no longer gets them); onHealth(body) receives each
 * answer of the gateway's /health while the system comes up; signal (an AbortSignal) gives up
 * a start still under way, stopping whatever it started; detached runs wrangler in a process
 * group of its own, which stop() then ends as a whole (wrangler, workerd, esbuild).
 * trees ({ worker: root of another checkout }) runs those workers from that checkout — its
 * wrangler.toml, sources, migrations and seed — and the rest from this one (version-skew runs);
 * migrationTrees (default: trees) says separately whose migrations and seed each database gets,
 * so old code can run on a schema that new migrations already changed, as in a real deploy.
 */
export async function startSystem(opts = {}) {
  const port = Number(opts.port ?? process.env.SHOP_PORT ?? 8787);
  const stateDir = resolve(ROOT, opts.stateDir ?? process.env.SHOP_STATE_DIR ?? ".state");
  const smsPort = Number(opts.smsPort ?? process.env.SMS_SINK_PORT ?? port + 1);
  const provider = opts.provider ?? (opts.stripe ? "stripe" : "simulated");
  if (!PAYMENT_MODES.includes(provider)) throw new Error(`unknown payment provider mode ${provider}`);
  const log = opts.log ?? (opts.quiet ? () => {} : console.log);
  const { signal } = opts;
  if (opts.fresh) rmSync(stateDir, { recursive: true, force: true });
  if (opts.fresh && opts.logFile) rmSync(opts.logFile, { force: true });
  mkdirSync(stateDir, { recursive: true });
  if (opts.logFile) mkdirSync(dirname(resolve(ROOT, opts.logFile)), { recursive: true });
  const trees = opts.trees ?? {};
  const migrationTrees = opts.migrationTrees ?? trees;
  for (const root of new Set(presentWorkers().map((w) => treeOf(w, trees)))) ensureDevSecrets(root);
  log(`Preparing local databases in ${stateDir}`);
  await migrateAndSeedAsync(stateDir, log, signal, migrationTrees);

  const children = [];
  const piped = Boolean(opts.logFile || opts.onLine);
  const out = piped ? { stdio: ["ignore", "pipe", "pipe"] } : { stdio: ["ignore", "inherit", "inherit"] };
  const pipeTo = (child, source) => {
    if (!piped) return;
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY }).on("line", (line) => {
        // The log file is read as text: without the colours wrangler uses despite NO_COLOR.
        if (opts.logFile) writeFileSync(opts.logFile, `${stripVTControlCharacters(line)}\n`, { flag: "a" });
        opts.onLine?.(line, source);
      });
    }
  };

  // Everything started from here on is stopped again if the start fails or is given up.
  let configs = [];
  let ownFake;
  const running = (c) => c.exitCode === null && c.signalCode === null;
  const exited = (c) => (running(c) ? new Promise((r) => c.once("exit", r)) : null);
  /** A detached child leads a process group: the signal reaches its own children too. */
  const signalChild = (c, sig) => {
    try {
      if (c.detachedGroup) process.kill(-c.pid, sig);
      else if (running(c)) c.kill(sig);
    } catch {}
  };
  const stop = async () => {
    // A child that ended by a signal has exitCode null but a signalCode: it is gone too.
    for (const child of [...children].reverse())
      if (running(child) || child.detachedGroup) signalChild(child, "SIGTERM");
    const all = Promise.all(children.map(exited));
    const late = setTimeout(() => {
      for (const child of children) signalChild(child, "SIGKILL");
    }, 10_000);
    await all;
    clearTimeout(late);
    // What a group leader leaves behind (workerd outliving wrangler) goes with the group.
    for (const child of children) if (child.detachedGroup) signalChild(child, "SIGKILL");
    await ownFake?.stop();
    ownFake = undefined;
    for (const c of configs) if (c.generated) rmSync(c.path, { force: true });
  };
  const onAbort = () => void stop();
  signal?.addEventListener("abort", onAbort, { once: true });

  try {
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
      pipeTo(child, "sms-sink");
      children.push(child);
      await waitForSink(`http://127.0.0.1:${smsPort}`, child);
    }
    signal?.throwIfAborted();

    // Stripe mode: the fake Stripe server first (payments needs its address at start-up). The
    // keys are test values made for this run; they go into the per-run configs like any var.
    let stripe = opts.stripe;
    if (provider === "stripe" && !stripe) {
      stripe = ownFake = await startStripeFake({ port, stripePort: Number(opts.stripePort ?? port + 2) });
    }
    const stripeVars =
      provider === "stripe"
        ? {
            PAYMENT_PROVIDER: "stripe",
            STRIPE_SECRET_KEY: stripe.secretKey,
            STRIPE_WEBHOOK_SECRET: stripe.webhookSecret,
            STRIPE_API_BASE: stripe.url,
          }
        : {};
    const vars = {
      ...(smsPort !== 8788 ? { SMS_API_URL: `http://127.0.0.1:${smsPort}` } : {}),
      ...opts.vars,
      ...stripeVars,
    };
    configs = runConfigs(port, vars, Boolean(opts.harness), trees);
    const args = [WRANGLER, "dev"];
    for (const c of configs) args.push("-c", c.path);
    args.push(
      "--persist-to",
      stateDir,
      "--port",
      String(port),
      // wrangler otherwise probes for a free inspector port from 9229: two systems starting at
      // once (one per payment mode) can both pick the same one, and one of them dies.
      "--inspector-port",
      String(opts.inspectorPort ?? port + 10_000),
      "--ip",
      "127.0.0.1",
      "--show-interactive-dev-session=false",
    );
    signal?.throwIfAborted();
    const dev = spawn(process.execPath, args, { cwd: ROOT, env: ENV, detached: Boolean(opts.detached), ...out });
    dev.detachedGroup = Boolean(opts.detached);
    pipeTo(dev, "wrangler");
    children.push(dev);

    const url = `http://127.0.0.1:${port}`;
    await waitForHealth(url, dev, opts.timeoutMs ?? 90_000, { signal, onHealth: opts.onHealth });
    signal?.removeEventListener("abort", onAbort);
    return {
      url,
      port,
      smsPort,
      stateDir,
      dev,
      stop,
      smsDir: join(stateDir, "sms"),
      // Local send_email writes each message under the first (the gateway's) worker's folder.
      emailDir: join(treeOf("gateway", trees), "workers", "gateway", ".wrangler", "tmp", "email"),
      provider,
      stripeUrl: stripe?.url ?? null,
    };
  } catch (err) {
    signal?.removeEventListener("abort", onAbort);
    await stop();
    throw err;
  }
}
