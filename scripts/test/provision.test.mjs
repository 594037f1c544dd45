// `npm run provision`: the real wrangler CLI, pointed at a fake Cloudflare API, creates what an
// environment lacks and writes the database ids into copies of the workers' configs.
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { after, before, test } from "node:test";
import { environmentNeeds, isPlaceholderId, provision, unprovisioned } from "../provision.mjs";
import { startFakeCloudflare } from "./fake-cloudflare.mjs";

const ROOT = resolve(import.meta.dirname, "../..");
let root;
let fake;
const saved = {};

before(async () => {
  root = mkdtempSync(join(tmpdir(), "provision-"));
  for (const w of readdirSync(join(ROOT, "workers"))) {
    try {
      cpSync(join(ROOT, "workers", w, "wrangler.toml"), join(root, "workers", w, "wrangler.toml"));
    } catch {}
  }
  fake = await startFakeCloudflare();
  for (const k of ["CLOUDFLARE_API_BASE_URL", "CLOUDFLARE_API_TOKEN", "CLOUDFLARE_ACCOUNT_ID"])
    saved[k] = process.env[k];
  process.env.CLOUDFLARE_API_BASE_URL = fake.apiBase;
  process.env.CLOUDFLARE_API_TOKEN = fake.token;
  process.env.CLOUDFLARE_ACCOUNT_ID = fake.accountId;
});

after(async () => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  await fake?.stop();
  rmSync(root, { recursive: true, force: true });
});

test("the committed configs name every staging and production database and queue", () => {
  for (const env of ["staging", "production"]) {
    const { databases, queues } = environmentNeeds(env);
    assert.deepEqual(databases.map((d) => d.name).sort(), [
      `notifications-${env}`,
      `orders-${env}`,
      `payments-${env}`,
      `products-${env}`,
      `users-${env}`,
    ]);
    for (const q of ["notifications", "notifications-dlq", "payment-events", "payment-events-dlq"]) {
      assert.ok(queues.includes(`${q}-${env}`), `${env} needs queue ${q}-${env}`);
    }
    const { buckets } = environmentNeeds(env);
    assert.deepEqual(buckets, [`product-images-${env}`]);
    // No queue of one environment is another environment's (or local development's).
    for (const q of queues) assert.ok(q.endsWith(`-${env}`), `${q} belongs to ${env}`);
  }
});

test("provisioning creates what is missing, reuses what exists and writes only the ids", async () => {
  // Staging is half made already: one database and one queue exist in the account.
  const existingId = "5a1e0c1e-0000-4000-8000-00000000beef";
  fake.databases.set("users-staging", {
    uuid: existingId,
    name: "users-staging",
    created_at: "",
    version: "production",
  });
  fake.queues.set("notifications-staging", {
    queue_id: "q0",
    queue_name: "notifications-staging",
    created_on: "",
    modified_on: "",
    producers: [],
    producers_total_count: 0,
    consumers: [],
    consumers_total_count: 0,
  });
  const before = Object.fromEntries(
    environmentNeeds("staging", root).databases.map((d) => [d.config, readFileSync(d.config, "utf8")]),
  );
  assert.equal(unprovisioned("staging", root).length, 5);

  await provision("staging", { root, log: () => {} });

  const { databases, queues } = environmentNeeds("staging", root);
  for (const d of databases) {
    assert.ok(!isPlaceholderId(d.id), `${d.name} got an id`);
    assert.equal(d.id, fake.databases.get(d.name)?.uuid, `${d.name}'s id is the account's`);
  }
  assert.equal(databases.find((d) => d.name === "users-staging")?.id, existingId);
  assert.deepEqual([...fake.queues.keys()].sort(), queues);
  assert.equal(
    fake.calls.filter(
      (c) =>
        c.method === "POST" && c.path.endsWith("/queues") && JSON.parse(c.body).queue_name === "notifications-staging",
    ).length,
    0,
    "an existing queue is not created again",
  );
  assert.deepEqual(unprovisioned("staging", root), []);
  assert.deepEqual([...fake.buckets.keys()], ["product-images-staging"], "the image bucket is created");
  assert.equal(unprovisioned("production", root).length, 5, "another environment is untouched");
  // Only database_id lines changed; comments, order and every other value are as they were.
  for (const [config, text] of Object.entries(before)) {
    const a = text.split("\n");
    const b = readFileSync(config, "utf8").split("\n");
    assert.equal(b.length, a.length);
    for (let i = 0; i < a.length; i++) {
      if (a[i] !== b[i]) assert.match(b[i], /database_id = "[0-9a-f-]{36}"/, `${config}:${i + 1}`);
    }
  }

  // A second run creates nothing.
  fake.calls.length = 0;
  await provision("staging", { root, log: () => {} });
  assert.deepEqual(
    fake.calls.filter((c) => c.method === "POST"),
    [],
  );
});

test("a refused token fails provisioning loudly and writes nothing", async () => {
  process.env.CLOUDFLARE_API_TOKEN = "wrong";
  const config = join(root, "workers", "orders", "wrangler.toml");
  const text = readFileSync(config, "utf8");
  try {
    await assert.rejects(provision("production", { root, log: () => {} }));
    assert.equal(readFileSync(config, "utf8"), text);
  } finally {
    process.env.CLOUDFLARE_API_TOKEN = fake.token;
  }
});
