// Where a checkout's CPU goes: the shop's armed builds in one Miniflare (as bench/harness.mjs
// runs them) with workerd's inspector open, a V8 CPU profile of every worker's isolate (and of
// Miniflare's own D1, queue and cache workers) while checkouts run (sign in, add to cart, quote,
// order with a card: bench/run.mjs's `checkoutToPaid(w, true)`), then self time per function
// and per source module, and inclusive time per function.
//   cd bench && node profile.mjs [--orders 200] [--concurrency 4] [--inspector 18941] [--top 25]
//                                [--json out.json] [--production] [--no-profile]
//   node profile.mjs --from out.json     (the report again from saved profiles)
// Reading it: workerd's isolates share threads and V8 samples an isolate only while it runs, so
// a function's time is its sample count × the interval (the time between samples is other
// isolates' work). Natives are charged to their JS caller. A function's module is the last of
// esbuild's `// path/to/module.ts` markers above its line in the bundle. The workerd process's
// CPU per order (all isolates, Miniflare's own workers included) is printed too; with the
// profiler attached to some 35 isolates it is inflated several times: `--no-profile` gives the
// plain figure. Absolute times move with the machine's load: compare shares, or runs made back
// to back.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { parseArgs } from "node:util";
import { convertV4MiniflareOptions, Miniflare } from "miniflare";
import { auxiliaryWorker, generateTestSigningJwk } from "../packages/testing/src/node.mjs";
import { migrateAndSeed, presentWorkers, ROOT } from "../scripts/system.mjs";
import { apiAt } from "./client.mjs";

const { values: flags } = parseArgs({
  options: {
    orders: { type: "string", default: "200" },
    concurrency: { type: "string", default: "4" },
    inspector: { type: "string", default: "18941" },
    top: { type: "string", default: "25" },
    json: { type: "string" },
    production: { type: "boolean", default: false },
    from: { type: "string" },
    "no-profile": { type: "boolean", default: false },
  },
});
const ORDERS = Number(flags.orders);
const CONCURRENCY = Number(flags.concurrency);
const INSPECTOR = Number(flags.inspector);
/** The sampling interval, µs. */
const INTERVAL_US = 200;

const workers = presentWorkers();
const harness = !flags.production;
const bundles = Object.fromEntries(
  workers.map((w) => [w, join(ROOT, "workers", w, harness ? "dist-harness" : "dist", "index.js")]),
);

let logLines = 0;
const logSample = [];

/** CPU seconds (user + system) of every workerd process below this one, from /proc. */
function workerdCpuMs() {
  let ms = 0;
  const tick = 10; // USER_HZ = 100 on Linux
  for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const close = stat.lastIndexOf(")");
      const name = stat.slice(stat.indexOf("(") + 1, close);
      const f = stat.slice(close + 2).split(" ");
      if (name === "workerd" && Number(f[1]) === process.pid) ms += (Number(f[11]) + Number(f[12])) * tick;
    } catch {}
  }
  return ms;
}

/** Starts the shop with its inspector, runs the checkouts under the profiler, stops it. */
async function measure() {
  const stateDir = join(ROOT, ".state-profile");
  rmSync(stateDir, { recursive: true, force: true });
  mkdirSync(stateDir, { recursive: true });
  migrateAndSeed(stateDir, () => {});

  const signingJwk = await generateTestSigningJwk("profile");
  const secrets = {
    gateway: { AUTH_THROTTLE: "off" },
    users: { JWT_PRIVATE_JWK: signingJwk },
    orders: { RATE_LIMITS: "off" },
    payments: { RATE_LIMITS: "off" },
    notifications: {
      SMS_API_URL: "http://127.0.0.1:9",
      SMS_ACCOUNT_SID: "ACprof",
      SMS_AUTH_TOKEN: "prof",
      RATE_LIMITS: "off",
    },
  };
  const mf = new Miniflare(
    convertV4MiniflareOptions({
      log: undefined,
      logRequests: false,
      handleStructuredLogs: (l) => {
        logLines++;
        if (logSample.length < 400) logSample.push(l.message);
      },
      host: "127.0.0.1",
      port: 0,
      inspectorPort: INSPECTOR,
      resourcePersistencePath: join(stateDir, "v3"),
      workers: workers.map((w) => auxiliaryWorker(w, { LOG_FORMAT: "json", ...secrets[w] }, { harness })),
    }),
  );
  const shopUrl = (await mf.ready).origin;

  const api = apiAt(shopUrl);

  // ── the inspector: one DevTools session per worker isolate ──
  class Session {
    #ws;
    #next = 1;
    #pending = new Map();
    static async open(url) {
      const s = new Session();
      s.#ws = new WebSocket(url);
      await new Promise((resolve, reject) => {
        s.#ws.addEventListener("open", resolve, { once: true });
        s.#ws.addEventListener("error", reject, { once: true });
      });
      s.#ws.addEventListener("message", (e) => {
        const msg = JSON.parse(String(e.data));
        const p = msg.id && s.#pending.get(msg.id);
        if (!p) return;
        s.#pending.delete(msg.id);
        if (msg.error) p.reject(new Error(JSON.stringify(msg.error)));
        else p.resolve(msg.result);
      });
      return s;
    }
    send(method, params = {}) {
      const id = this.#next++;
      this.#ws.send(JSON.stringify({ id, method, params }));
      return new Promise((resolve, reject) => this.#pending.set(id, { resolve, reject }));
    }
    close() {
      this.#ws.close();
    }
  }

  const targets = await (await fetch(`http://127.0.0.1:${INSPECTOR}/json`)).json();
  const sessions = {};
  for (const w of workers) {
    const t = targets.find((x) => x.title === `workerd: worker core:user:${w}`);
    if (!t) throw new Error(`no inspector target for ${w}: ${JSON.stringify(targets.map((x) => x.title))}`);
    sessions[w] = await Session.open(t.webSocketDebuggerUrl.replace("localhost", "127.0.0.1"));
  }
  // Miniflare's own workers (the local D1, queues, cache, the entry): what the simulator costs.
  for (const t of targets) {
    const name = t.title.replace(/^workerd: worker /, "");
    if (name.startsWith("core:user:") || !t.webSocketDebuggerUrl) continue;
    try {
      sessions[`(miniflare) ${name}`] = await Session.open(t.webSocketDebuggerUrl.replace("localhost", "127.0.0.1"));
    } catch {}
  }

  // ── setup (as bench/run.mjs): an admin, shoppers, a product with plenty of stock ──
  const ADDRESS = {
    name: "Prof",
    line1: "1 Load St",
    city: "Testville",
    region: "NY",
    postalCode: "12345",
    country: "US",
  };
  const admin = await api("POST", "/users/login", {
    body: { email: "admin@shop.local", password: process.env.SHOP_ADMIN_PASSWORD ?? "admin-pass-2026" },
  });
  if (admin.status !== 200) throw new Error(`admin login failed: ${admin.status}`);
  const product = (await api("GET", "/products?limit=20")).body.items[0];
  await api("PUT", `/products/${product.id}/inventory`, {
    token: admin.body.accessToken,
    body: { onHand: 1_000_000 },
  });
  const shoppers = [];
  for (let i = 0; i < CONCURRENCY; i++) {
    const email = `prof-${Date.now()}-${i}@example.com`;
    await api("POST", "/users", { body: { email, password: "prof-password-1", name: "Prof Shopper" } });
    shoppers.push(
      (await api("POST", "/users/login", { body: { email, password: "prof-password-1" } })).body.accessToken,
    );
  }

  async function checkout(token) {
    const add = await api("POST", "/cart/items", { token, body: { productId: product.id, quantity: 1 } });
    if (add.status >= 300) throw new Error(`cart ${add.status}`);
    const quote = await api("POST", "/checkout/quote", { token, body: { address: ADDRESS } });
    if (quote.status !== 200) throw new Error(`quote ${quote.status} ${JSON.stringify(quote.body)}`);
    const order = await api("POST", "/orders", {
      token,
      headers: { "idempotency-key": `prof-${crypto.randomUUID()}` },
      body: {
        shippingAddress: ADDRESS,
        paymentMethod: "pm_card_visa",
        shippingMethodId: quote.body.breakdown.shipping.methodId,
        displayedTotal: quote.body.displayedTotal.amount,
      },
    });
    if (order.status !== 201) throw new Error(`order ${order.status} ${JSON.stringify(order.body)}`);
    if (order.body.status === "paid") return;
    const id = order.body.id ?? order.body.order?.id;
    for (let i = 0; i < 400; i++) {
      const got = await api("GET", `/orders/${id}`, { token });
      if (got.body.status === "paid") return;
      await sleep(25);
    }
    throw new Error("not paid in time");
  }

  async function run(n) {
    let left = n;
    await Promise.all(
      shoppers.map(async (token) => {
        while (left-- > 0) await checkout(token);
      }),
    );
  }

  await run(Math.min(20, ORDERS)); // warm: every isolate compiled and its memos filled
  await sleep(2000); // queue consumers of the warm-up finish
  const profile = !flags["no-profile"];
  for (const s of profile ? Object.values(sessions) : []) {
    await s.send("Profiler.enable");
    await s.send("Profiler.setSamplingInterval", { interval: 200 });
    await s.send("Profiler.start");
  }
  const t0 = performance.now();
  const cpu0 = workerdCpuMs();
  const lines0 = logLines;
  await run(ORDERS);
  const wall = performance.now() - t0;
  await sleep(3000); // the queue work these orders set off
  const cpuMs = workerdCpuMs() - cpu0;
  console.log(`log lines: ${((logLines - lines0) / ORDERS).toFixed(1)} per order`);
  if (process.env.PROFILE_LOG_SAMPLE) writeFileSync(process.env.PROFILE_LOG_SAMPLE, logSample.join("\n"));
  console.log(
    `workerd CPU: ${cpuMs} ms for ${ORDERS} orders = ${(cpuMs / ORDERS).toFixed(1)} ms per order (all workers, queue work included; ${(wall / ORDERS).toFixed(1)} ms wall per order)`,
  );
  if (!profile) {
    await mf.dispose();
    rmSync(stateDir, { recursive: true, force: true });
    process.exit(0);
  }
  const profiles = {};
  for (const [w, s] of Object.entries(sessions)) {
    profiles[w] = (await s.send("Profiler.stop")).profile;
    s.close();
  }
  await mf.dispose();
  rmSync(stateDir, { recursive: true, force: true });
  return { profiles, wall };
}

const { profiles, wall } = flags.from ? JSON.parse(readFileSync(flags.from, "utf8")) : await measure();

// ── aggregate ──
const markers = {};
function moduleOf(w, line) {
  if (!markers[w]) {
    const found = [];
    readFileSync(bundles[w], "utf8")
      .split("\n")
      .forEach((l, i) => {
        const m = /^\/\/ (\S+\.(?:[cm]?[jt]sx?|json))$/.exec(l);
        if (m)
          found.push([i, m[1].replace(/^(\.\.\/)+/, "").replace(/^node_modules\/\.pnpm\/[^/]+\/node_modules\//, "")]);
      });
    markers[w] = found;
  }
  let lo = 0;
  let hi = markers[w].length - 1;
  let best = "(bundle prelude)";
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (markers[w][mid][0] <= line) {
      best = markers[w][mid][1];
      lo = mid + 1;
    } else hi = mid - 1;
  }
  const n = /^(?:workers|packages)\/([^/]+)\/src\/(.*)$/.exec(best);
  return n ? `${n[1]}/${n[2]}` : best;
}

const report = { orders: ORDERS, wallMs: Math.round(wall), workers: {} };
let totalBusy = 0;
const simulators = {};
for (const [w, p] of Object.entries(profiles)) {
  if (!workers.includes(w)) {
    const us = p.nodes
      .filter((n) => !["(idle)", "(program)", "(root)"].includes(n.callFrame.functionName))
      .reduce((sum, n) => sum + (n.hitCount ?? 0) * INTERVAL_US, 0);
    if (us > 0) simulators[w] = Number((us / 1000 / ORDERS).toFixed(2));
    continue;
  }
  // Each sample is one sampling interval of this isolate at work: workerd's isolates share
  // threads and V8 samples an isolate only while it runs, so the time between two samples
  // (timeDeltas) is wall time, mostly other isolates' or none; the count is what it used.
  const dt = new Map();
  for (const id of p.samples) dt.set(id, (dt.get(id) ?? 0) + INTERVAL_US);
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const ours = (n) => n.callFrame.url === "index.js";
  const nameOf = (n) => {
    const cf = n.callFrame;
    if (ours(n)) return `${cf.functionName || "(anonymous)"} ${moduleOf(w, cf.lineNumber)}:${cf.lineNumber + 1}`;
    return `${cf.functionName || "(anonymous)"} [${cf.url || "native"}]`;
  };
  // The bundle function a native or runtime-internal frame was called from (its JS caller).
  const callerOf = (n) => {
    let id = parent.get(n.id);
    while (id !== undefined) {
      const a = byId.get(id);
      if (ours(a)) return a;
      id = parent.get(id);
    }
    return null;
  };
  const byFn = new Map();
  const byMod = new Map();
  const incl = new Map();
  let idle = 0;
  let busy = 0;
  const add = (m, k, v) => m.set(k, (m.get(k) ?? 0) + v);
  for (const node of p.nodes) {
    const us = dt.get(node.id) ?? 0;
    if (!us) continue;
    const cf = node.callFrame;
    if (cf.functionName === "(idle)" || cf.functionName === "(program)") {
      idle += us;
      continue;
    }
    busy += us;
    const caller = ours(node) ? node : callerOf(node);
    const fn = ours(node) ? nameOf(node) : `${nameOf(node)} ← ${caller ? nameOf(caller) : "(top)"}`;
    add(byFn, fn, us);
    add(byMod, caller ? moduleOf(w, caller.callFrame.lineNumber) : `[${cf.url || cf.functionName}]`, us);
    // Inclusive time of each bundle function (once per stack, however deep the recursion).
    const seen = new Set();
    let id = node.id;
    while (id !== undefined) {
      const a = byId.get(id);
      if (ours(a)) {
        const k = nameOf(a);
        if (!seen.has(k)) {
          seen.add(k);
          add(incl, k, us);
        }
      }
      id = parent.get(id);
    }
  }
  totalBusy += busy;
  const top = (m, n = Number(flags.top)) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, v]) => ({ name: k, ms: Math.round(v / 1000), pct: Number(((100 * v) / busy).toFixed(1)) }));
  report.workers[w] = {
    busyMs: Math.round(busy / 1000),
    perOrderMs: Number((busy / 1000 / ORDERS).toFixed(2)),
    idleMs: Math.round(idle / 1000),
    modules: top(byMod),
    functions: top(byFn),
    inclusive: top(incl, 2 * Number(flags.top)),
  };
}
report.perOrderMs = Number((totalBusy / 1000 / ORDERS).toFixed(2));
report.simulatorPerOrderMs = simulators;
report.ordersPerSec = Number(((ORDERS * 1000) / wall).toFixed(1));

if (flags.json) writeFileSync(flags.json, JSON.stringify({ report, profiles, wall }));
console.log(
  `${ORDERS} orders in ${report.wallMs} ms (${report.ordersPerSec}/s); the shop's isolates: ${report.perOrderMs} ms CPU per order`,
);
console.log(
  `Miniflare's workers, ms per order: ${Object.entries(simulators)
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k.replace("(miniflare) ", "")} ${v}`)
    .join(", ")}`,
);
for (const [w, r] of Object.entries(report.workers)) {
  console.log(`\n== ${w}: ${r.busyMs} ms busy, ${r.perOrderMs} ms/order`);
  console.log("  modules (self, natives charged to their caller's):");
  for (const x of r.modules.slice(0, 12))
    console.log(`    ${String(x.pct).padStart(5)}%  ${String(x.ms).padStart(6)} ms  ${x.name}`);
  console.log("  functions (self; natives with their caller):");
  for (const x of r.functions)
    console.log(`    ${String(x.pct).padStart(5)}%  ${String(x.ms).padStart(6)} ms  ${x.name}`);
  console.log("  functions (inclusive):");
  for (const x of r.inclusive)
    console.log(`    ${String(x.pct).padStart(5)}%  ${String(x.ms).padStart(6)} ms  ${x.name}`);
}
process.exit(0);
