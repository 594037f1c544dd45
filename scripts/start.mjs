// `npm start`: the whole system on http://localhost:8787 with seeded data.
//
// The console gets what a person needs: a banner first (addresses, accounts, where things
// land), one line per worker as it becomes ready, then one short line per request and the
// errors and warnings worth acting on. Everything wrangler prints goes to the state folder's
// logs/wrangler.log; `npm start -- --verbose` shows it on the console as well.
//
//   --fresh         start from an empty state folder (databases migrated and seeded again)
//   --stripe-fake   payments talks to a fake Stripe server instead of the simulator
//   --verbose       everything wrangler prints, on the console too
//
//   SHOP_PORT (8787), SMS_SINK_PORT (SHOP_PORT + 1), SHOP_STATE_DIR (.state), NO_COLOR
import { rmSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { stripVTControlCharacters } from "node:util";
import { presentWorkers, ROOT, startSystem, WORKERS } from "./system.mjs";

const args = process.argv.slice(2);
const fresh = args.includes("--fresh");
const verbose = args.includes("--verbose");
const provider = args.includes("--stripe-fake") ? "stripe" : "simulated";
const port = Number(process.env.SHOP_PORT ?? 8787);
const smsPort = Number(process.env.SMS_SINK_PORT ?? port + 1);
const stateDir = resolve(ROOT, process.env.SHOP_STATE_DIR ?? ".state");
const logFile = join(stateDir, "logs", "wrangler.log");
const admin = process.env.SHOP_ADMIN_PASSWORD ?? "admin-pass-2026";
const demo = process.env.SHOP_DEMO_PASSWORD ?? "demo-pass-2026";
const started = Date.now();

// Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org).
const colour = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
const paint = (code) => (text) => (colour ? `\x1b[${code}m${text}\x1b[0m` : text);
const [bold, dim, red, yellow, green, cyan] = [1, 2, 31, 33, 32, 36].map(paint);
const plain = stripVTControlCharacters;
const show = (line) => process.stdout.write(`${line}\n`);
const shortPath = (path) => {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith("..") ? rel : path;
};

const base = `http://localhost:${port}`;
const pad = (label) => `  ${label.padEnd(15)} `;
show(
  [
    bold(`Shop at the edge — starting on ${base} (Ctrl-C stops everything)`),
    `${pad("storefront")}${cyan(`${base}/`)}`,
    `${pad("API reference")}${cyan(`${base}/docs`)}`,
    `${pad("health")}${cyan(`${base}/health`)}`,
    `${pad("SMS sink")}${cyan(`http://localhost:${smsPort}/messages`)}`,
    `${pad("emails")}.eml files under ${shortPath(join(ROOT, "workers", "gateway", ".wrangler", "tmp", "email"))}/`,
    `${pad("payments")}${
      provider === "stripe"
        ? `fake Stripe server on http://127.0.0.1:${port + 2}`
        : "simulated provider (--stripe-fake: a fake Stripe server)"
    }`,
    `${pad("admin")}admin@shop.local / ${admin}`,
    `${pad("customer")}demo@shop.local / ${demo}`,
    `${pad("state")}${shortPath(stateDir)} (npm start -- --fresh starts from scratch)`,
    `${pad("full logs")}${shortPath(logFile)} (npm start -- --verbose shows them here)`,
    "",
  ].join("\n"),
);

// ── What of wrangler's output reaches the console ───────────────────────────────────────────
const WORKER_LINE = new RegExp(`^\\[(${WORKERS.join("|")})\\] ?(.*)$`);
/** Wrangler's warnings that say nothing a person running the shop locally can act on. */
const NOISE = [/Scheduled Workers are not automatically triggered/];
let ready = false;
let showingBlock = false;

/** A worker's line: pretty lines as they are; a JSON line (LOG_FORMAT=json) only if it is a warning or error. */
function workerLine(worker, text) {
  if (text.startsWith("{")) {
    try {
      const fields = JSON.parse(text);
      const { level, msg, error, requestId, method, path, status } = fields;
      if (level !== "warn" && level !== "error") return null;
      const what = method ? [method, path, status] : [level.toUpperCase(), msg, error];
      return [fields.worker ?? worker, ...what, requestId].filter((v) => v != null).join(" ");
    } catch {}
  }
  // While the system comes up, the gateway's /health answers 503 and the first probes are slow:
  // the ready lines say the same.
  if (!ready && /^\S+ [A-Z]+ \/health /.test(text)) return null;
  return text;
}

function paintLine(text) {
  if (/\bERROR\b|✘|\[wrangler:error\]| 5\d\d \d+ms/.test(text)) return red(text);
  if (/\bWARN(ING)?\b|▲|\[wrangler:warn\]| 4\d\d \d+ms/.test(text)) return yellow(text);
  const request = /^(\S+ [A-Z]+ \S+ \d{3} \d+ms)( .*)?$/.exec(text);
  return request ? `${request[1]}${dim(request[2] ?? "")}` : text;
}

/**
 * A request through the gateway logs a line in the gateway and one in the worker that served
 * it: the console keeps the worker's, unless the gateway answered differently.
 */
const REQUEST = /^(\S+) [A-Z]+ \S+ (\d{3}) \d+ms (\S+)$/;
const served = new Map();
function repeatsWorker(text) {
  const m = REQUEST.exec(text);
  if (!m) return false;
  const [, worker, status, requestId] = m;
  if (worker !== "gateway") {
    served.set(requestId, status);
    if (served.size > 500) served.delete(served.keys().next().value);
    return false;
  }
  return served.get(requestId) === status;
}

/**
 * Wrangler prints a worker's console.log as `[worker] line`, its console.warn and console.error
 * as `▲ [WARNING] line` and `✘ [ERROR] line` (the rest of a multi-line message indented).
 */
const DECORATED = /^(✘ \[ERROR\]|▲ \[WARNING\]) (.*)$/;
const fromWorker = (text) => WORKERS.includes(text.split(" ", 1)[0]) || text.startsWith("{");

function onLine(raw, source) {
  const line = plain(raw);
  if (verbose) return show(colour ? raw : line);
  let out = null;
  const worker = WORKER_LINE.exec(line);
  const decorated = worker ? null : DECORATED.exec(line);
  if (worker || (decorated && fromWorker(decorated[2]))) {
    out = worker ? workerLine(worker[1], worker[2]) : workerLine(null, decorated[2]);
    if (out !== null && repeatsWorker(out)) out = null;
  } else if (source === "sms-sink") {
    // One line per SMS sent (its start-up line stays in the log).
    const sms = /^\[sms-sink\] \S+ (to=.*)$/.exec(line);
    if (sms) out = `sms-sink ${sms[1]}`;
  } else if (decorated) out = NOISE.some((n) => n.test(line)) ? null : line.trim();
  else if (/^\[wrangler:(error|warn)\]/.test(line)) out = line;
  else if (showingBlock && /^\s+\S/.test(line)) out = line; // the indented rest of an error or a stack
  showingBlock = out !== null;
  if (out !== null) show(paintLine(out));
}

// ── Ready lines ─────────────────────────────────────────────────────────────────────────────
const seconds = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
const upWorkers = new Set();
const workers = presentWorkers();
function onHealth(body) {
  const up = workers.filter((w) => (w === "gateway" ? true : body?.services?.[w]?.status === "ok"));
  for (const w of up) {
    if (upWorkers.has(w)) continue;
    upWorkers.add(w);
    show(`  ${green("✓")} ${w.padEnd(14)} ready ${dim(seconds())}`);
  }
}

// ── Run, and stop everything on Ctrl-C or SIGTERM ───────────────────────────────────────────
rmSync(logFile, { force: true }); // one run's output at a time
const aborted = new AbortController();
let stopping = false;
const starting = startSystem({
  fresh,
  provider,
  port,
  smsPort,
  stateDir,
  logFile,
  // Wrangler and what it starts (workerd, esbuild) form one process group, stopped as a whole.
  detached: true,
  log: (line) => writeFileSync(logFile, `${line}\n`, { flag: "a" }),
  onLine,
  onHealth,
  signal: aborted.signal,
});

async function shutdown(code) {
  if (stopping) return;
  stopping = true;
  show(dim("Stopping…"));
  aborted.abort();
  // A start still under way stops what it started before it gives up.
  const system = await starting.catch(() => undefined);
  await system?.stop();
  show(dim("Stopped."));
  process.exit(code);
}
for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(sig, () => shutdown(0));
// `npm start` runs us under npm and a shell: a SIGTERM sent to npm alone ends them and leaves
// us orphaned (re-parented). Whoever started us is gone, so everything stops too.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) shutdown(0);
}, 500).unref();

async function main() {
  let system;
  try {
    system = await starting;
  } catch (err) {
    if (stopping) return; // shutdown() exits once everything is stopped
    const message = plain(String(err?.message ?? err));
    try {
      writeFileSync(logFile, `${message}\n`, { flag: "a" });
    } catch {}
    show(red(`The shop did not start: ${message.split("\n")[0]}`));
    // A failed migration or seed step: what it printed last says why.
    const said = plain(String(err?.stderr ?? ""))
      .trim()
      .split("\n")
      .filter(Boolean)
      .slice(-15);
    for (const line of said) show(`  ${line}`);
    show(`Full logs: ${shortPath(logFile)}`);
    process.exit(1);
  }
  ready = true;
  for (const w of workers) if (!upWorkers.has(w)) onHealth({ services: { [w]: { status: "ok" } } });
  show(bold(green(`Ready in ${Math.round((Date.now() - started) / 1000)} s — open ${base}/`)));
  system.dev.on("exit", (code, sig) => {
    if (stopping) return;
    show(red(`wrangler stopped (${code ?? sig}); the rest is stopped too. Full logs: ${shortPath(logFile)}`));
    shutdown(1);
  });
}

await main();
