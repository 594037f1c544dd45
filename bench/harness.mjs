// The benchmark harness: the shop's workers and a bare hello-world worker, each in a Miniflare
// instance of its own (workerd with no wrangler dev proxy in front), same settings, same process.
// Run pinned to one core; prints one JSON line with the URLs when ready, then serves until killed.
import { join } from "node:path";
import { convertV4MiniflareOptions, Miniflare } from "miniflare";
import { auxiliaryWorker, generateTestSigningJwk } from "../packages/testing/src/node.mjs";
import { presentWorkers } from "../scripts/system.mjs";

const stateDir = process.env.BENCH_STATE_DIR;
const smsUrl = process.env.BENCH_SMS_URL ?? "http://127.0.0.1:9";
const signingJwk = await generateTestSigningJwk("bench");

const secrets = {
  gateway: { AUTH_THROTTLE: "off" },
  users: { JWT_PRIVATE_JWK: signingJwk },
  notifications: { SMS_API_URL: smsUrl, SMS_ACCOUNT_SID: "ACbench", SMS_AUTH_TOKEN: "bench" },
};

const silent = { log: undefined, logRequests: false, handleStructuredLogs: () => {} };

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

const shop = new Miniflare(
  convertV4MiniflareOptions({
    ...silent,
    host: "127.0.0.1",
    port: 0,
    resourcePersistencePath: join(stateDir, "v3"),
    workers: presentWorkers().map((w) => auxiliaryWorker(w, secrets[w] ?? {})),
  }),
);

const [helloUrl, shopUrl] = await Promise.all([hello.ready, shop.ready]);
console.log(JSON.stringify({ helloUrl: helloUrl.origin, shopUrl: shopUrl.origin }));

const stop = async () => {
  await Promise.allSettled([hello.dispose(), shop.dispose()]);
  process.exit(0);
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
