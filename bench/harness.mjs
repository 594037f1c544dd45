// The benchmark harness: the shop's workers and a bare hello-world worker, each in a Miniflare
// instance of its own (workerd with no wrangler dev proxy in front), same settings, same process.
// Run pinned to one core; prints one JSON line with the URLs when ready, then serves until killed.
import { createServer } from "node:http";
import { join } from "node:path";
import { convertV4MiniflareOptions, Miniflare } from "miniflare";
import { auxiliaryWorker, generateTestSigningJwk } from "../packages/testing/src/node.mjs";
import { presentWorkers } from "../scripts/system.mjs";

const stateDir = process.env.BENCH_STATE_DIR;
const smsUrl = process.env.BENCH_SMS_URL ?? "http://127.0.0.1:9";
const signingJwk = await generateTestSigningJwk("bench");

// The load comes from one address and a few accounts: the sign-in throttle and the money-path
// rate limits (ADR 0012) would measure themselves, not the shop. Both are tested elsewhere.
const secrets = {
  gateway: { AUTH_THROTTLE: "off" },
  users: { JWT_PRIVATE_JWK: signingJwk },
  orders: { RATE_LIMITS: "off" },
  payments: { RATE_LIMITS: "off" },
  notifications: { SMS_API_URL: smsUrl, SMS_ACCOUNT_SID: "ACbench", SMS_AUTH_TOKEN: "bench", RATE_LIMITS: "off" },
};

// Worker logs cost what they cost but are not printed; BENCH_LOGS=1 prints warnings and errors
// (to stderr) to find out why a scenario's requests failed.
const warnings = ({ level, message }) => {
  if (level === "warn" || level === "error") process.stderr.write(`${message}\n`);
};
const silent = {
  log: undefined,
  logRequests: false,
  handleStructuredLogs: process.env.BENCH_LOGS === "1" ? warnings : () => {},
};

const hello = new Miniflare(
  convertV4MiniflareOptions({
    ...silent,
    host: "127.0.0.1",
    port: 0,
    workers: [
      {
        name: "hello",
        modules: true,
        compatibilityDate: "2026-11-01",
        script: `export default { fetch() { return new Response("Hello World"); } };`,
      },
    ],
  }),
);

const workers = presentWorkers();
const shop = new Miniflare(
  convertV4MiniflareOptions({
    ...silent,
    host: "127.0.0.1",
    port: 0,
    resourcePersistencePath: join(stateDir, "v3"),
    // The armed builds (dist-harness, ADR 0015): every worker answers GET /__meters with its
    // isolate's D1 round trips and reports a request's own in Server-Timing.
    // BENCH_BUILD=production runs the production bundles instead (no meters, no geography): the
    // bench's "armed vs production" comparison measures what the test machinery costs.
    // Logs as deployed workers do (JSON, successful reads sampled; ADR 0024), not the local
    // console's every line: the log lines are part of what a request costs.
    workers: workers.map((w) =>
      auxiliaryWorker(w, { LOG_FORMAT: "json", ...secrets[w] }, { harness: process.env.BENCH_BUILD !== "production" }),
    ),
  }),
);

const [helloUrl, shopUrl] = await Promise.all([hello.ready, shop.ready]);

// The load generator's side door, straight to each worker (not through the gateway):
//   GET  /             D1 round trips of every worker (HTTP, RPC, Durable Objects, queues), sampled
//                      before and after a scenario;
//   PUT  /geo          the geography (bench/geo.mjs) for every worker's armed harness (/__geo);
//   GET  /trips?since= the delayed trips every worker logged since then, with their times.
const toWorker = async (w, path, init) => (await shop.getWorker(w)).fetch(`http://meters${path}`, init);
const meters = createServer(async (req, res) => {
  const url = new URL(req.url ?? "/", "http://meters");
  let body;
  if (req.method === "PUT" && url.pathname === "/geo") {
    let text = "";
    for await (const chunk of req) text += chunk;
    const init = { method: "PUT", headers: { "content-type": "application/json" }, body: text };
    const answers = await Promise.all(workers.map((w) => toWorker(w, "/__geo", init)));
    const failed = answers.findIndex((r) => !r.ok);
    if (failed >= 0) {
      res.statusCode = 502;
      body = { error: `${workers[failed]} refused the geography: ${answers[failed].status}` };
    } else body = { workers, geography: JSON.parse(text) };
  } else if (url.pathname === "/trips") {
    const since = url.searchParams.get("since") ?? "0";
    const trips = [];
    for (const w of workers) {
      const r = await toWorker(w, `/__geo?since=${encodeURIComponent(since)}`);
      if (r.ok) for (const t of (await r.json()).trips) trips.push({ worker: w, ...t });
    }
    body = { trips };
  } else {
    const byWorker = {};
    for (const w of workers) {
      const r = await toWorker(w, "/__meters");
      byWorker[w] = r.ok ? (await r.json()).d1RoundTrips : null;
    }
    const total = Object.values(byWorker).reduce((n, v) => n + (v ?? 0), 0);
    body = { total, byWorker };
  }
  res.setHeader("content-type", "application/json");
  res.end(JSON.stringify(body));
});
await new Promise((resolve) => meters.listen(0, "127.0.0.1", resolve));
const metersUrl = `http://127.0.0.1:${meters.address().port}`;
console.log(JSON.stringify({ helloUrl: helloUrl.origin, shopUrl: shopUrl.origin, metersUrl }));

const stop = async () => {
  meters.close();
  await Promise.allSettled([hello.dispose(), shop.dispose()]);
  process.exit(0);
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
