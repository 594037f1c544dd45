// `npm run bench`: throughput and latency of the shop against the runtime's own ceiling.
// The harness (workerd via Miniflare, no dev proxy) runs pinned to CPU 0; this load generator
// to CPU 1. Every scenario is reported next to a bare hello-world worker measured in the same
// run on the same harness. Writes bench/results/<stamp>.{md,json} and latest.md; prints the table.
import { spawn } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import autocannon from "autocannon";
import { bundleWorker } from "../packages/testing/src/node.mjs";
import { bundleSizes } from "../scripts/bundle-sizes.mjs";
import { migrateAndSeed, presentWorkers, ROOT } from "../scripts/system.mjs";

const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const CHECKOUT_CONCURRENCY = Number(process.env.BENCH_CHECKOUT_CONCURRENCY ?? 10);
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

const [cmd, args] = pin(0, process.execPath, [join(ROOT, "bench", "harness.mjs")]);
const harness = spawn(cmd, args, {
  cwd: join(ROOT, "bench"),
  env: { ...process.env, BENCH_STATE_DIR: stateDir, SHOP_REBUILD_AUX: "0" },
  stdio: ["ignore", "pipe", "inherit"],
});
const urls = await new Promise((resolve, reject) => {
  let buf = "";
  harness.stdout.on("data", (d) => {
    buf += d;
    const line = buf.split("\n").find((l) => l.startsWith("{"));
    if (line) resolve(JSON.parse(line));
  });
  harness.once("exit", (code) => reject(new Error(`harness exited ${code}`)));
});
const { helloUrl, shopUrl, metersUrl } = urls;

/** D1 round trips of every shop worker so far (HTTP, RPC, Durable Objects, queue consumers). */
async function d1Total() {
  return (await (await fetch(metersUrl)).json()).total;
}

/**
 * Runs a scenario and adds `d1All`: every worker's D1 round trips during it (after a short
 * settle, so queue consumers finish what the scenario started) per completed request or action.
 */
async function metered(run) {
  const before = await d1Total();
  const result = await run();
  await sleep(3_000);
  const trips = (await d1Total()) - before;
  result.d1All = result.requests > 0 ? Number((trips / result.requests).toFixed(1)) : null;
  return result;
}

async function api(method, path, { token, body, headers = {} } = {}) {
  const res = await fetch(`${shopUrl}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body ? { "content-type": "application/json" } : {}),
      ...headers,
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: res.status, headers: res.headers, body: json };
}
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

const shoppers = [];
for (let i = 0; i < CHECKOUT_CONCURRENCY; i++) {
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
    requests: r.requests.total,
    ...extra,
  };
}

async function cannon(name, opts, extra) {
  const r = await autocannon({ connections: CONNECTIONS, duration: DURATION, ...opts });
  return summarize(name, r, extra);
}

/** A closed loop of `concurrency` workers running `step` until the time is up. */
async function loop(name, concurrency, step, unit = "req") {
  const latencies = [];
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
        } catch {
          errors++;
        }
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  const q = (p) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0);
  return {
    scenario: name,
    reqPerSec: Number((done / DURATION).toFixed(1)),
    unit,
    p50: q(0.5),
    p99: q(0.99),
    errors,
    requests: done,
  };
}

const results = [];
console.log("bench: hello world (the ceiling C0)");
results.push({ ...(await cannon("hello world (C0)", { url: helloUrl }, { d1: 0 })), d1All: 0 });

await api("GET", "/products?limit=20"); // warm the edge cache
const listTrips = roundTrips((await api("GET", "/products?limit=20")).headers);
console.log("bench: GET /products (cached)");
results.push(
  await metered(() => cannon("GET /products (cached)", { url: `${shopUrl}/products?limit=20` }, { d1: listTrips })),
);

console.log("bench: GET /products (uncached)");
let n = 0;
const uncachedTrips = roundTrips((await api("GET", `/products?limit=20&minPrice=${++n}`)).headers);
results.push(
  await metered(() =>
    cannon(
      "GET /products (uncached)",
      {
        url: shopUrl,
        requests: [{ method: "GET", setupRequest: (req) => ({ ...req, path: `/products?limit=20&minPrice=${++n}` }) }],
      },
      { d1: uncachedTrips },
    ),
  ),
);

console.log("bench: GET /products/{id}");
await api("GET", `/products/${product.id}`); // warm
const itemTrips = roundTrips((await api("GET", `/products/${product.id}`)).headers);
results.push(
  await metered(() => cannon("GET /products/{id}", { url: `${shopUrl}/products/${product.id}` }, { d1: itemTrips })),
);

console.log("bench: add to cart");
const addBody = JSON.stringify({ productId: product.id, quantity: 1 });
const cartTrips = roundTrips(
  (await api("POST", "/cart/items", { body: { productId: product.id, quantity: 1 } })).headers,
);
results.push(
  await metered(() =>
    cannon(
      "POST /cart/items (new guest cart)",
      { url: `${shopUrl}/cart/items`, method: "POST", headers: { "content-type": "application/json" }, body: addBody },
      { d1: cartTrips },
    ),
  ),
);

async function checkoutToPaid(w) {
  const token = shoppers[w];
  const add = await api("POST", "/cart/items", { token, body: { productId: product.id, quantity: 1 } });
  if (add.status >= 300) throw new Error(`cart ${add.status}`);
  const order = await api("POST", "/orders", {
    token,
    headers: { "idempotency-key": `bench-${crypto.randomUUID()}` },
    body: {
      shippingAddress: { name: "Bench", line1: "1 Load St", city: "Testville", postalCode: "12345", country: "US" },
      paymentMethod: "pm_card_visa",
    },
  });
  if (order.status !== 201) throw new Error(`order ${order.status}`);
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
console.log("bench: full checkout to paid");
results.push(await metered(() => loop("checkout to paid", CHECKOUT_CONCURRENCY, checkoutToPaid, "orders")));

console.log("bench: mix browse 10 : cart 3 : checkout 1");
let browse = 0;
results.push(
  await metered(() =>
    loop(
      "mix 10:3:1 (browse:cart:checkout)",
      CHECKOUT_CONCURRENCY,
      async (w) => {
        const r = Math.random() * 14;
        if (r < 10) {
          const res = await api("GET", (browse++ & 1) === 0 ? "/products?limit=20" : `/products/${product.id}`);
          if (res.status !== 200) throw new Error(String(res.status));
        } else if (r < 13) {
          const res = await api("POST", "/cart/items", {
            token: shoppers[w],
            body: { productId: product.id, quantity: 1 },
          });
          if (res.status >= 300) throw new Error(String(res.status));
          await api("DELETE", "/cart", { token: shoppers[w] });
        } else {
          await checkoutToPaid(w);
        }
      },
      "actions",
    ),
  ),
);

harness.kill("SIGTERM");

const c0 = results[0].reqPerSec;
for (const r of results) r.ratioToC0 = r.unit ? null : Number((r.reqPerSec / c0).toFixed(3));
const when = new Date().toISOString();
const report = {
  when,
  durationSeconds: DURATION,
  connections: CONNECTIONS,
  checkoutConcurrency: CHECKOUT_CONCURRENCY,
  results,
  bundles: sizes,
};
const md = [
  `# Benchmark ${when}`,
  "",
  `Harness: workerd via Miniflare (no dev proxy) pinned to CPU 0; load generator pinned to CPU 1; ${DURATION} s per scenario,`,
  `${CONNECTIONS} connections (autocannon) or ${CHECKOUT_CONCURRENCY} concurrent shoppers (closed loop). C0 = bare hello-world worker, same harness, same run.`,
  "",
  "D1 round trips: *serving* = the worker that serves the route (its `Server-Timing` on one request); *all workers* = every worker's round trips during the scenario (HTTP, RPC, Durable Objects, queue consumers, read from each worker's `/__meters`), per completed request or action, including the work it set off (e.g. the notifications of a paid order).",
  "",
  "| scenario | throughput | p50 ms | p99 ms | errors | ratio to C0 | D1 trips, serving | D1 trips, all workers |",
  "|---|---:|---:|---:|---:|---:|---:|---:|",
  ...results.map(
    (r) =>
      `| ${r.scenario} | ${r.reqPerSec} ${r.unit ? `${r.unit}/s` : "req/s"} | ${r.p50} | ${r.p99} | ${r.errors} | ${r.ratioToC0 ?? "—"} | ${r.d1 ?? "—"} | ${r.d1All ?? "—"} |`,
  ),
  "",
  "| worker | bundle KiB | gzip KiB |",
  "|---|---:|---:|",
  ...sizes.map((s) => `| ${s.worker} | ${(s.raw / 1024).toFixed(1)} | ${(s.gzip / 1024).toFixed(1)} |`),
  "",
].join("\n");
const dir = join(ROOT, "bench", "results");
mkdirSync(dir, { recursive: true });
const stamp = when.replaceAll(":", "-").replace(/\..*/, "");
writeFileSync(join(dir, `${stamp}.json`), JSON.stringify(report, null, 2));
writeFileSync(join(dir, `${stamp}.md`), md);
writeFileSync(join(dir, "latest.md"), md);
console.log(`\n${md}`);
process.exit(0);
