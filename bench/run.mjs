// `npm run bench`: throughput and latency of the shop against the runtime's own ceiling.
// The harness (workerd via Miniflare, no dev proxy) runs pinned to CPU 0; this load generator
// to CPU 1. Every scenario is reported next to a bare hello-world worker measured in the same
// run on the same harness, in each geography (bench/geo.mjs: near the D1 primaries, far from
// them, or far with the back end placed next to them). Writes bench/results/<stamp>.{md,json}
// and latest.md; prints the tables.
//   npm run bench -- [--geo near|far|placed|both|all] [--only key,key]
// (both = near and far, the default; all adds placed, which runs only the scenarios that reach
// orders: the catalog rows would be far's)
// --only runs some scenarios (keys: see SCENARIOS below, and `builds` for the armed vs production
// comparison) and prints without filing a result;
// BENCH_DEBUG_TRIPS=1 prints every delayed trip of the unloaded requests (worker, kind, times).
import { spawn } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import { bundleWorker } from "../packages/testing/src/node.mjs";
import { bundleSizes } from "../scripts/bundle-sizes.mjs";
import { migrateAndSeed, presentWorkers, ROOT } from "../scripts/system.mjs";
import { ACCEPT_ENCODING, apiAt } from "./client.mjs";
import {
  arrivals,
  criticalChain,
  FAR_DURABLE_OBJECTS,
  FAR_ROUND_TRIP_MS,
  geographiesOf,
  measuredIn,
  median,
  PLACED_WORKERS,
  quantile,
  REPLICA_ROUND_TRIP_MS,
  tripsFromLatency,
} from "./geo.mjs";

const { values: flags } = parseArgs({
  options: { geo: { type: "string", default: "both" }, only: { type: "string" } },
});
const GEOS = geographiesOf(flags.geo);

const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const CHECKOUT_CONCURRENCY = Number(process.env.BENCH_CHECKOUT_CONCURRENCY ?? 10);
/** Unloaded single requests per scenario and geography (the median is reported). */
const SINGLES = Number(process.env.BENCH_SINGLES ?? 5);
/**
 * Every client sends the same Accept-Encoding: autocannon sends none and fetch sends
 * `gzip, deflate, br` by default, so a scenario's cost would depend on which client ran it.
 */
const stateDir = join(ROOT, ".state-bench");
const pin = (cpu, cmd, args) =>
  process.platform === "linux" ? ["taskset", ["-c", String(cpu), cmd, ...args]] : [cmd, args];

console.log("bench: building bundles and seeding a fresh state");
// Sizes are the production bundles'; the harness runs the armed builds, which carry the meters.
const sizes = bundleSizes();
for (const w of presentWorkers()) bundleWorker(w, { harness: true });
rmSync(stateDir, { recursive: true, force: true });
mkdirSync(stateDir, { recursive: true });
migrateAndSeed(stateDir, () => {});

/**
 * Harnesses still running: stopped when the bench ends however it ends (a scenario that throws
 * must not leave workerd serving on the bench ports and eating CPU).
 */
const running = new Set();
process.on("exit", () => {
  for (const proc of running) proc.kill("SIGTERM");
});

/**
 * Starts the harness on CPU 0 over the bench state: the armed builds (meters, geography) or, with
 * `build = "production"`, the production bundles. Resolves with its URLs once it is ready.
 */
async function startHarness(build = "armed") {
  const [cmd, args] = pin(0, process.execPath, [join(ROOT, "bench", "harness.mjs")]);
  const proc = spawn(cmd, args, {
    cwd: join(ROOT, "bench"),
    env: { ...process.env, BENCH_STATE_DIR: stateDir, SHOP_REBUILD_AUX: "0", BENCH_BUILD: build },
    stdio: ["ignore", "pipe", "inherit"],
  });
  running.add(proc);
  proc.once("exit", () => running.delete(proc));
  const urls = await new Promise((resolve, reject) => {
    let buf = "";
    proc.stdout.on("data", (d) => {
      buf += d;
      const line = buf.split("\n").find((l) => l.startsWith("{"));
      if (line) resolve(JSON.parse(line));
    });
    proc.once("exit", (code) => reject(new Error(`harness exited ${code}`)));
  });
  return { proc, urls };
}

/** Stops a harness and waits until its process has gone (its state is reused next). */
async function stopHarness(proc) {
  if (proc.exitCode !== null) return;
  proc.removeAllListeners("exit"); // the start's "exited before ready" rejection
  const gone = new Promise((resolve) => proc.once("exit", resolve));
  proc.kill("SIGTERM");
  await gone;
  running.delete(proc);
}

const { proc: harness, urls } = await startHarness();
const { helloUrl, shopUrl, metersUrl } = urls;

/** D1 round trips of every shop worker so far (HTTP, RPC, Durable Objects, queue consumers). */
async function d1Total() {
  return (await (await fetch(metersUrl)).json()).total;
}

/**
 * Waits until no worker makes a D1 round trip for a second (queue consumers, alarms and
 * projections finish what came before), at most `limitMs`; returns the settled total.
 */
async function settle(limitMs = 20_000) {
  const until = Date.now() + limitMs;
  let last = await d1Total();
  let stableSince = Date.now();
  while (Date.now() < until) {
    await sleep(250);
    const now = await d1Total();
    if (now !== last) {
      last = now;
      stableSince = Date.now();
    } else if (Date.now() - stableSince >= 1_000) break;
  }
  return last;
}

/**
 * Runs a scenario and adds `d1All`: every worker's D1 round trips it caused, per completed
 * request or action. Settled before (so the previous scenario's leftovers are not counted here)
 * and after (so the work this one set off, e.g. the notifications of a paid order, is).
 */
async function metered(run) {
  const before = await settle();
  const result = await run();
  const trips = (await settle()) - before;
  result.d1All = result.requests > 0 ? Number((trips / result.requests).toFixed(1)) : null;
  return result;
}

async function setGeography(geo) {
  const res = await fetch(`${metersUrl}/geo`, {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(geo),
  });
  if (!res.ok) throw new Error(`geography ${geo.name}: ${res.status} ${await res.text()}`);
}

async function tripsSince(since) {
  return (await (await fetch(`${metersUrl}/trips?since=${since}`)).json()).trips;
}

const api = apiAt(shopUrl);
const roundTrips = (headers) => {
  const m = /d1;desc="(\d+) round trips"/.exec(headers.get("server-timing") ?? "");
  return m ? Number(m[1]) : null;
};

// ── setup: an admin, shoppers, a product with plenty of stock ──
const admin = await api("POST", "/users/login", {
  body: { email: "admin@shop.local", password: process.env.SHOP_ADMIN_PASSWORD ?? "admin-pass-2026" },
});
if (admin.status !== 200) throw new Error(`admin login failed: ${admin.status} ${JSON.stringify(admin.body)}`);
const adminToken = admin.body.accessToken;
const page = await api("GET", "/products?limit=20");
const product = page.body.items[0];
await api("PUT", `/products/${product.id}/inventory`, { token: adminToken, body: { onHand: 1_000_000 } });

// The closed loops use the first CHECKOUT_CONCURRENCY; the open loop draws from all of them.
const shoppers = [];
for (let i = 0; i < CHECKOUT_CONCURRENCY * 4; i++) {
  const email = `bench-${Date.now()}-${i}@example.com`;
  await api("POST", "/users", { body: { email, password: "bench-password-1", name: "Bench Shopper" } });
  const login = await api("POST", "/users/login", { body: { email, password: "bench-password-1" } });
  shoppers.push(login.body.accessToken);
}

function summarize(name, r, extra = {}) {
  return {
    scenario: name,
    reqPerSec: Math.round(r.requests.average),
    p50: r.latency.p50,
    p99: r.latency.p99,
    errors: r.errors + r.timeouts + (r.non2xx ?? 0),
    errorReasons: reasonsOfCannon(r),
    requests: r.requests.total,
    ...extra,
  };
}

/** What went wrong in an autocannon run: non-2xx answers by status, timeouts, socket errors. */
function reasonsOfCannon(r) {
  const out = {};
  for (const [code, stat] of Object.entries(r.statusCodeStats ?? {}))
    if (!code.startsWith("2")) out[`HTTP ${code}`] = stat.count;
  if (r.timeouts) out.timeout = r.timeouts;
  if (r.errors) out["socket error"] = r.errors;
  return out;
}

/** Counts an error by its message (the first line), for the report's "errors by reason". */
function noteReason(reasons, err) {
  const key = String(err?.message ?? err)
    .split("\n")[0]
    .slice(0, 120);
  reasons[key] = (reasons[key] ?? 0) + 1;
}

async function cannon(name, opts, extra) {
  const r = await autocannon({
    connections: CONNECTIONS,
    duration: DURATION,
    ...opts,
    headers: { "accept-encoding": ACCEPT_ENCODING, ...opts.headers },
  });
  return summarize(name, r, extra);
}

/** A closed loop of `concurrency` workers running `step` until the time is up. */
async function loop(name, concurrency, step, unit = "req") {
  const latencies = [];
  const errorReasons = {};
  let errors = 0;
  let done = 0;
  const until = Date.now() + DURATION * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, w) => {
      while (Date.now() < until) {
        const t = performance.now();
        try {
          await step(w);
          done++;
          latencies.push(performance.now() - t);
        } catch (err) {
          errors++;
          noteReason(errorReasons, err);
        }
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  return {
    scenario: name,
    reqPerSec: Number((done / DURATION).toFixed(1)),
    unit,
    p50: quantile(latencies, 0.5),
    p99: quantile(latencies, 0.99),
    errors,
    errorReasons,
    requests: done,
  };
}

/**
 * An open loop: `step` starts at a fixed rate whatever the answers (evenly spaced arrivals),
 * each with a shopper not busy with another checkout; latency counts from the planned arrival,
 * so a late start is charged to the system. An arrival with no free shopper is an error.
 */
async function openLoop(name, perSecond, step, unit) {
  const latencies = [];
  const free = shoppers.map((_, i) => i).reverse();
  const errorReasons = {};
  let errors = 0;
  let unserved = 0;
  let done = 0;
  const start = performance.now() + 50;
  await Promise.all(
    arrivals(perSecond, DURATION).map(async (at) => {
      const planned = start + at;
      await sleep(Math.max(0, planned - performance.now()));
      const w = free.pop();
      if (w === undefined) {
        unserved++;
        errors++;
        noteReason(errorReasons, "no free shopper");
        return;
      }
      try {
        await step(w);
        done++;
        latencies.push(performance.now() - planned);
      } catch (err) {
        errors++;
        noteReason(errorReasons, err);
      } finally {
        free.push(w);
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  return {
    scenario: name,
    offeredPerSec: Number(perSecond.toFixed(1)),
    reqPerSec: Number((done / DURATION).toFixed(1)),
    unit,
    p50: quantile(latencies, 0.5),
    p99: quantile(latencies, 0.99),
    errors,
    errorReasons,
    unserved,
    requests: done,
  };
}

/** "step status code: detail" of a refused call, for the report's errors by reason. */
const failure = (step, res) =>
  [`${step} ${res.status}`, res.body?.code, res.body?.detail].filter(Boolean).join(" ").slice(0, 160);

const BENCH_ADDRESS = {
  name: "Bench",
  line1: "1 Load St",
  city: "Testville",
  region: "NY",
  postalCode: "12345",
  country: "US",
};

/**
 * Add to cart and place the order with a card. `storefront`: as the storefront's checkout page
 * does it — price the cart for the address first (`POST /checkout/quote`), then place the order
 * with the delivery method it chose and the total it showed (ADR 0035); without it, an older
 * client's order (the sum of its lines, no delivery choice).
 */
async function checkoutToPaid(w, storefront = false) {
  const token = shoppers[w];
  const add = await api("POST", "/cart/items", { token, body: { productId: product.id, quantity: 1 } });
  if (add.status >= 300) throw new Error(failure("cart", add));
  let priced = {};
  if (storefront) {
    const quote = await api("POST", "/checkout/quote", { token, body: { address: BENCH_ADDRESS } });
    if (quote.status !== 200) throw new Error(failure("quote", quote));
    priced = {
      shippingMethodId: quote.body.breakdown.shipping.methodId,
      displayedTotal: quote.body.displayedTotal.amount,
    };
  }
  const order = await api("POST", "/orders", {
    token,
    headers: { "idempotency-key": `bench-${crypto.randomUUID()}` },
    body: { shippingAddress: BENCH_ADDRESS, paymentMethod: "pm_card_visa", ...priced },
  });
  // 202: accepted, still being placed (e.g. a slow dependency); it is followed to paid like a 201.
  if (order.status !== 201 && order.status !== 202) throw new Error(failure("order", order));
  // A card is charged synchronously (as Stripe answers): the order is usually paid in this answer.
  if (order.body.status === "paid") return;
  const id = order.body.id ?? order.body.order?.id;
  for (let i = 0; i < 400; i++) {
    const got = await api("GET", `/orders/${id}`, { token });
    if (got.body.status === "paid") return;
    if (["payment_failed", "rejected", "expired", "cancelled"].includes(got.body.status))
      throw new Error(got.body.status);
    await sleep(25);
  }
  throw new Error("not paid in time");
}

/**
 * Catalog reads come from a shopper who chose the euro market (ADR 0032): the gateway's hot pages,
 * products' cache entries and the edge's last good copies are then the market's own (the key
 * names it), and prices come from the market's price rows rather than the variants' own.
 */
const MARKET = { cookie: "market=eu" };

const ok = (res) => {
  if (res.status >= 300) throw new Error(String(res.status));
  return res;
};
let n = 0; // a fresh filter per uncached list request: never in the edge cache
const addBody = { productId: product.id, quantity: 1 };

/**
 * The scenarios, in order. `single` is one request (or action) alone, for the unloaded latency,
 * the far trips on its critical path and the serving worker's D1 trips; `load` the measured run.
 */
const SCENARIOS = [
  {
    key: "list-cached",
    name: "GET /products (cached)",
    warm: () => api("GET", "/products?limit=20", { headers: MARKET }),
    single: async () => ok(await api("GET", "/products?limit=20", { headers: MARKET })),
    load: (name) => cannon(name, { url: `${shopUrl}/products?limit=20`, headers: MARKET }),
  },
  {
    key: "list-uncached",
    name: "GET /products (uncached)",
    single: async () => ok(await api("GET", `/products?limit=20&minPrice=${++n}`, { headers: MARKET })),
    load: (name) =>
      cannon(name, {
        url: shopUrl,
        headers: MARKET,
        requests: [{ method: "GET", setupRequest: (req) => ({ ...req, path: `/products?limit=20&minPrice=${++n}` }) }],
      }),
  },
  {
    key: "item",
    name: "GET /products/{id}",
    warm: () => api("GET", `/products/${product.id}`, { headers: MARKET }),
    single: async () => ok(await api("GET", `/products/${product.id}`, { headers: MARKET })),
    load: (name) => cannon(name, { url: `${shopUrl}/products/${product.id}`, headers: MARKET }),
  },
  {
    key: "cart-add",
    name: "POST /cart/items (new guest cart)",
    single: async () => ok(await api("POST", "/cart/items", { body: addBody })),
    load: (name) =>
      cannon(name, {
        url: `${shopUrl}/cart/items`,
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(addBody),
      }),
  },
  {
    key: "checkout",
    name: "checkout to paid",
    unit: "orders",
    single: () => checkoutToPaid(0),
    load: (name) => loop(name, CHECKOUT_CONCURRENCY, checkoutToPaid, "orders"),
  },
  {
    key: "checkout-storefront",
    name: "checkout to paid, as the storefront (quote, delivery, shown total)",
    unit: "orders",
    single: () => checkoutToPaid(0, true),
    load: (name) => loop(name, CHECKOUT_CONCURRENCY, (w) => checkoutToPaid(w, true), "orders"),
  },
  {
    key: "checkout-open",
    name: "checkout to paid, open loop at ½ saturation",
    unit: "orders",
    needs: "checkout",
    // Half the closed loop's throughput in the same geography of the same run.
    load: (name, byKey) => openLoop(name, byKey.checkout.reqPerSec / 2, checkoutToPaid, "orders"),
  },
  {
    key: "mix",
    name: "mix 10:3:1 (browse:cart:checkout)",
    unit: "actions",
    load: async (name) => {
      let browse = 0;
      // Catalog reads answered from a cache: the gateway's memory (x-edge-cache) or products' entry (x-cache).
      const reads = { total: 0, edge: 0, products: 0 };
      const result = await loop(
        name,
        CHECKOUT_CONCURRENCY,
        async (w) => {
          const r = Math.random() * 14;
          if (r < 10) {
            const res = ok(await api("GET", (browse++ & 1) === 0 ? "/products?limit=20" : `/products/${product.id}`));
            reads.total++;
            if (res.headers.get("x-edge-cache") === "hit") reads.edge++;
            else if (res.headers.get("x-cache") === "hit") reads.products++;
          } else if (r < 13) {
            ok(await api("POST", "/cart/items", { token: shoppers[w], body: addBody }));
            await api("DELETE", "/cart", { token: shoppers[w] });
          } else {
            await checkoutToPaid(w);
          }
        },
        "actions",
      );
      return { ...result, cacheHits: reads };
    },
  },
];

const only = flags.only ? new Set(flags.only.split(",").map((k) => k.trim())) : null;
if (only) {
  const unknown = [...only].filter((k) => k !== "builds" && !SCENARIOS.some((s) => s.key === k));
  if (unknown.length) throw new Error(`--only: unknown scenario ${unknown.join(", ")}`);
  for (const s of SCENARIOS) if (only.has(s.key) && s.needs) only.add(s.needs);
}
const chosen = SCENARIOS.filter((s) => !only || only.has(s.key));

/**
 * One request alone, `SINGLES` times after a warm-up, with nothing else running: its latency,
 * the sequential far round trips on its critical path (criticalChain over the trips every worker
 * logged while it ran) and the serving worker's D1 round trips (its Server-Timing).
 */
async function unloaded(scenario) {
  await (scenario.warm ?? scenario.single)();
  const runs = [];
  for (let i = 0; i < SINGLES; i++) {
    await settle();
    const from = Date.now();
    const t = performance.now();
    const res = await scenario.single();
    const ms = performance.now() - t;
    const to = Date.now();
    const trips = await tripsSince(from - 5);
    runs.push({ ms: Math.round(ms), farTrips: criticalChain(trips, { from, to }), trips: { from, to, trips } });
    if (i === 0 && res?.headers) runs.d1 = roundTrips(res.headers);
  }
  return {
    ms: Math.round(median(runs.map((r) => r.ms))),
    minMs: Math.min(...runs.map((r) => r.ms)),
    farTrips: median(runs.map((r) => r.farTrips)),
    runs: runs.map((r) => `${r.ms} ms/${r.farTrips}`),
    d1: runs.d1 ?? null,
    trips: runs.map((r) => r.trips),
  };
}

const results = [];
console.log("bench: hello world (the ceiling C0)");
const c0 = { ...(await cannon("hello world (C0)", { url: helloUrl })), geo: "—", d1: 0, d1All: 0, ratioToC0: 1 };
results.push(c0);

for (const geo of GEOS) {
  await setGeography(geo);
  const byKey = {};
  for (const scenario of chosen.filter((s) => measuredIn(geo, s.key))) {
    console.log(`bench [${geo.name}]: ${scenario.name}`);
    const single = scenario.single ? await unloaded(scenario) : null;
    if (single) console.log(`  unloaded (ms/far trips): ${single.runs.join(", ")}`);
    if (single && process.env.BENCH_DEBUG_TRIPS) console.log(JSON.stringify(single.trips));
    const r = await metered(() => scenario.load(scenario.name, byKey));
    byKey[scenario.key] = r;
    results.push({
      ...r,
      key: scenario.key,
      geo: geo.name,
      unit: scenario.unit,
      d1: single?.d1 ?? null,
      unloadedMs: single?.ms ?? null,
      unloadedMinMs: single?.minMs ?? null,
      farTrips: single ? single.farTrips : null,
      unloadedRuns: single?.runs ?? null,
      ratioToC0: scenario.unit ? null : Number((r.reqPerSec / c0.reqPerSec).toFixed(3)),
    });
  }
}
await setGeography(geographiesOf("near")[0]);
await stopHarness(harness);

/**
 * What the test machinery costs: the armed builds (fault switches, D1 meters, Server-Timing,
 * geography hooks; ADR 0015) against the production bundles, near, on the read paths where a
 * per-request cost shows most. Each build gets its own harness over the same state and its own
 * C0 measured right before it, so each ratio compares like with like.
 */
const BUILD_SCENARIOS = [
  { key: "list-cached", name: "GET /products (cached)", path: "/products?limit=20" },
  { key: "item", name: "GET /products/{id}", path: `/products/${product.id}` },
];
const builds = [];
if (!only || only.has("builds")) {
  for (const build of ["armed", "production"]) {
    console.log(`bench [builds]: ${build}`);
    const { proc, urls: at } = await startHarness(build);
    try {
      const hello = await cannon("hello world (C0)", { url: at.helloUrl });
      for (const sc of BUILD_SCENARIOS) {
        await fetch(`${at.shopUrl}${sc.path}`, { headers: { "accept-encoding": ACCEPT_ENCODING, ...MARKET } }); // warm the cache
        const r = await cannon(sc.name, { url: `${at.shopUrl}${sc.path}`, headers: MARKET });
        builds.push({
          ...r,
          key: sc.key,
          build,
          c0: hello.reqPerSec,
          ratioToC0: Number((r.reqPerSec / hello.reqPerSec).toFixed(3)),
        });
      }
    } finally {
      await stopHarness(proc);
    }
  }
}

// ── report ──
const when = new Date().toISOString();
const report = {
  when,
  durationSeconds: DURATION,
  connections: CONNECTIONS,
  checkoutConcurrency: CHECKOUT_CONCURRENCY,
  singles: SINGLES,
  geographies: GEOS,
  results,
  builds,
  bundles: sizes,
};
const dash = (v) => (v === null || v === undefined ? "—" : v);
const rate = (r) => `${r.reqPerSec} ${r.unit ? `${r.unit}/s` : "req/s"}`;
const row = (r) =>
  `| ${r.scenario} | ${rate(r)}${r.offeredPerSec ? ` (offered ${r.offeredPerSec})` : ""} | ${r.p50} | ${r.p99} | ${r.errors} | ${dash(r.ratioToC0)} | ${dash(r.unloadedMs)} | ${dash(r.farTrips)} | ${dash(r.d1)} | ${dash(r.d1All)} |`;
const md = [
  `# Benchmark ${when}`,
  "",
  `Harness: workerd via Miniflare (no dev proxy) pinned to CPU 0; load generator pinned to CPU 1; ${DURATION} s per scenario,`,
  `${CONNECTIONS} connections (autocannon) or ${CHECKOUT_CONCURRENCY} concurrent shoppers (closed loop). C0 = bare hello-world worker, same harness, same run.`,
  "Every client sends `Accept-Encoding: identity` (no side compresses). The machine is shared with other work: absolute figures are noisy, ratios to C0 in the same run are what counts.",
  "",
  `Geographies (bench/geo.mjs): *near* = the shopper is next to the D1 primaries (no extra delay); *far* = every D1 round trip to a primary waits ${FAR_ROUND_TRIP_MS} ms, a read through a D1 session not constrained to the primary ${REPLICA_ROUND_TRIP_MS} ms (replica), and every call to a stub of ${FAR_DURABLE_OBJECTS.join(", ")} (Durable Objects created where the shop launched) ${FAR_ROUND_TRIP_MS} ms. Workers, CartDO and OrderDO run near the shopper. *placed* = the same far shopper, but ${PLACED_WORKERS.join(" and ")} run next to the D1 primaries (Smart Placement, ADR 0038): their D1 trips, their Durable Objects and the RPC entrypoints they call (products', payments') cost nothing extra, and the gateway's fetch to them is one far round trip (${FAR_ROUND_TRIP_MS} ms, a \`placed-hop\`); only the scenarios that reach orders run there.`,
  "",
  `*Unloaded*: one request (or checkout) alone, median of ${SINGLES}. *Far trips*: sequential far round trips on its critical path, **measured**: the armed harness logs every delayed trip with its start and end, and the count is the longest chain of far trips inside the request's window in which each starts after the previous ended (concurrent trips count once; work after the answer — queues, alarms — is outside the window). The near → far table cross-checks it with (fastest unloaded far − fastest unloaded near) / ${FAR_ROUND_TRIP_MS} ms, rounded (the fastest of ${SINGLES}: the least disturbed by other work on the machine).`,
  "",
  "D1 round trips: *serving* = the worker that serves the route (its `Server-Timing` on one request); *all workers* = every worker's round trips caused by the scenario (HTTP, RPC, Durable Objects, queue consumers, read from each worker's `/__meters`; settled before and after, so leftovers of the previous scenario are not counted) per completed request or action.",
  "",
  "The open loop starts checkouts at a fixed rate — half the closed loop's saturation in the same geography — whatever the answers; its latency counts from the planned start.",
  "",
];
for (const geo of GEOS) {
  md.push(
    `## ${geo.name}`,
    "",
    "| scenario | throughput | p50 ms | p99 ms | errors | ratio to C0 | unloaded ms | far trips, critical path | D1 trips, serving | D1 trips, all workers |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    row({ ...c0, unloadedMs: null, farTrips: 0 }),
    ...results.filter((r) => r.geo === geo.name).map(row),
    "",
  );
  for (const r of results.filter((x) => x.geo === geo.name && x.cacheHits?.total)) {
    const { total, edge, products } = r.cacheHits;
    const pct = (n) => `${((100 * n) / total).toFixed(1)} %`;
    md.push(
      `Catalog cache hit rate, ${r.scenario}: **${pct(edge + products)}** of ${total} catalog reads (gateway memory ${pct(edge)}, products cache ${pct(products)}).`,
      "",
    );
  }
  for (const r of results.filter((x) => x.geo === geo.name && x.errors > 0)) {
    const reasons = Object.entries(r.errorReasons ?? {})
      .sort(([, a], [, b]) => b - a)
      .map(([why, n]) => `${n} × ${why}`);
    md.push(`Errors, ${r.scenario}: ${reasons.join("; ") || "(no reason recorded)"}.`, "");
  }
}
/**
 * A "from → to" table of the scenarios measured in both geographies: latencies, the measured far
 * trips (of `to`; from → to unless `from` is near, which has none) and the latency cross-check
 * of `to` against near.
 */
function comparison(fromName, toName) {
  const of = (key, name) => results.find((r) => r.key === key && r.geo === name);
  const rows = chosen.filter((s) => of(s.key, fromName) && of(s.key, toName));
  if (!rows.length) return;
  const fromNear = fromName === "near";
  md.push(
    `## ${fromName} → ${toName}`,
    "",
    `| scenario | p50 ms | p99 ms | unloaded ms (median) | far trips (measured) | cross-check: (${toName} − near) / ${FAR_ROUND_TRIP_MS} ms |`,
    "|---|---:|---:|---:|---:|---:|",
    ...rows.map((s) => {
      const a = of(s.key, fromName);
      const b = of(s.key, toName);
      const near = of(s.key, "near");
      const trips = fromNear ? dash(b.farTrips) : `${dash(a.farTrips)} → ${dash(b.farTrips)}`;
      return `| ${s.name} | ${a.p50} → ${b.p50} | ${a.p99} → ${b.p99} | ${dash(a.unloadedMs)} → ${dash(b.unloadedMs)} | ${trips} | ${near ? dash(tripsFromLatency(b.unloadedMinMs, near.unloadedMinMs)) : "—"} |`;
    }),
    "",
  );
}
const measured = new Set(GEOS.map((g) => g.name));
if (measured.has("near") && measured.has("far")) comparison("near", "far");
if (measured.has("far") && measured.has("placed")) comparison("far", "placed");
if (builds.length) {
  const of = (key, build) => builds.find((b) => b.key === key && b.build === build);
  md.push(
    "## armed vs production build (near)",
    "",
    "The same scenarios on the armed builds (what every row above runs: fault switches, D1 meters, Server-Timing, geography hooks) and on the production bundles (none of it; ADR 0015), each build in its own harness with its own C0 measured just before.",
    "",
    "| scenario | armed req/s | armed p50/p99 ms | armed ratio to C0 | production req/s | production p50/p99 ms | production ratio to C0 | production ÷ armed (ratios) |",
    "|---|---:|---:|---:|---:|---:|---:|---:|",
    ...BUILD_SCENARIOS.map((sc) => {
      const a = of(sc.key, "armed");
      const p = of(sc.key, "production");
      return `| ${sc.name} | ${a.reqPerSec} | ${a.p50}/${a.p99} | ${a.ratioToC0} | ${p.reqPerSec} | ${p.p50}/${p.p99} | ${p.ratioToC0} | ${(p.ratioToC0 / a.ratioToC0).toFixed(2)} |`;
    }),
    "",
  );
}
md.push(
  "| worker | bundle KiB | gzip KiB |",
  "|---|---:|---:|",
  ...sizes.map((s) => `| ${s.worker} | ${(s.raw / 1024).toFixed(1)} | ${(s.gzip / 1024).toFixed(1)} |`),
  "",
);
const text = md.join("\n");
if (only) {
  // A partial run (--only) is for iterating: printed, never filed as a result.
  console.log(`\n${text}`);
  process.exit(0);
}
const dir = join(ROOT, "bench", "results");
mkdirSync(dir, { recursive: true });
const stamp = when.replaceAll(":", "-").replace(/\..*/, "");
writeFileSync(join(dir, `${stamp}.json`), JSON.stringify(report, null, 2));
writeFileSync(join(dir, `${stamp}.md`), text);
writeFileSync(join(dir, "latest.md"), text);
console.log(`\n${text}`);
process.exit(0);
