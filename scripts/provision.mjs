// `npm run provision -- --env staging|production`: creates what an environment's workers need
// before their first deploy — the D1 databases, the queues and their dead-letter queues, the R2
// buckets — with
// wrangler, and writes each database's id into the worker's wrangler.toml (ids are not secrets:
// commit the change). Safe to run again: what exists is reused, nothing is deleted.
// `--check` creates nothing: it fails while any database id of that environment is a placeholder
// (the deploy workflow runs it before deploying).
// Needs CLOUDFLARE_API_TOKEN and CLOUDFLARE_ACCOUNT_ID (see docs/deploying.md).
import { execFile } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs, promisify } from "node:util";
import { experimental_readRawConfig } from "wrangler";
import { ROOT, WORKERS, WRANGLER } from "./system.mjs";

/** A database id that was never provisioned: all zeros but the last digits, or `<…>`. */
export const isPlaceholderId = (id) => !id || /^<.*>$/.test(id) || /^00000000-0000-4000-8000-/.test(id);

/** Reads what one environment of every worker needs: its D1 databases, queue and R2 bucket names. */
export function environmentNeeds(env, root = ROOT) {
  const databases = [];
  const queues = new Set();
  const buckets = new Set();
  for (const worker of WORKERS) {
    const config = join(root, "workers", worker, "wrangler.toml");
    let raw;
    try {
      ({ rawConfig: raw } = experimental_readRawConfig({ config }));
    } catch {
      continue;
    }
    const section = raw.env?.[env];
    if (!section) throw new Error(`workers/${worker}/wrangler.toml has no [env.${env}] section`);
    for (const d of section.d1_databases ?? [])
      databases.push({ worker, config, name: d.database_name, id: d.database_id });
    for (const b of section.r2_buckets ?? []) buckets.add(b.bucket_name);
    for (const p of section.queues?.producers ?? []) queues.add(p.queue);
    for (const c of section.queues?.consumers ?? []) {
      queues.add(c.queue);
      if (c.dead_letter_queue) queues.add(c.dead_letter_queue);
    }
  }
  return { databases, queues: [...queues].sort(), buckets: [...buckets].sort() };
}

/**
 * Writes a database id into a config: the `database_id` that follows `database_name = "<name>"`
 * (both inline tables and [[d1_databases]] blocks), leaving every other byte of the file as it was.
 */
export function writeDatabaseId(config, name, id) {
  const text = readFileSync(config, "utf8");
  const escaped = name.replace(/[.*+?^${}()|[\]\\-]/g, "\\$&");
  const re = new RegExp(`(database_name\\s*=\\s*"${escaped}"[,\\s]*database_id\\s*=\\s*")[^"]*(")`);
  if (!re.test(text)) throw new Error(`${config}: no database_id after database_name = "${name}"`);
  writeFileSync(config, text.replace(re, `$1${id}$2`));
}

const execFileAsync = promisify(execFile);

async function wrangler(args, { json = false } = {}) {
  const { stdout } = await execFileAsync(process.execPath, [WRANGLER, ...args], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, WRANGLER_SEND_METRICS: "false", NO_COLOR: "1" },
    maxBuffer: 16 * 1024 * 1024,
  });
  return json ? JSON.parse(stdout) : stdout;
}

/** Creates what is missing, in the account the token belongs to, and records database ids. */
export async function provision(env, { root = ROOT, log = console.log } = {}) {
  const { databases, queues, buckets } = environmentNeeds(env, root);
  const existing = new Map((await wrangler(["d1", "list", "--json"], { json: true })).map((d) => [d.name, d.uuid]));
  for (const db of databases) {
    let id = existing.get(db.name);
    if (id) log(`  d1 ${db.name}: exists (${id})`);
    else {
      const out = await wrangler(["d1", "create", db.name]);
      id = out.match(/"?database_id"?\s*[:=]\s*"([0-9a-f-]{36})"/)?.[1];
      if (!id) throw new Error(`wrangler d1 create ${db.name} did not print a database id:\n${out}`);
      existing.set(db.name, id);
      log(`  d1 ${db.name}: created (${id})`);
    }
    if (db.id !== id) writeDatabaseId(db.config, db.name, id);
  }
  const listed = await wrangler(["queues", "list"]);
  const hasQueue = (name) => listed.split("\n").some((line) => line.split(/[\s│|]+/).includes(name));
  for (const queue of queues) {
    if (hasQueue(queue)) {
      log(`  queue ${queue}: exists`);
      continue;
    }
    try {
      await wrangler(["queues", "create", queue]);
      log(`  queue ${queue}: created`);
    } catch (err) {
      // Queues are addressed by name: one that already exists is what we want.
      if (!/already (exists|taken)|11009/i.test(`${err.stdout ?? ""}${err.stderr ?? ""}`)) throw err;
      log(`  queue ${queue}: exists`);
    }
  }
  // `r2 bucket list` prints a `name: <bucket>` line per bucket.
  const listedBuckets = buckets.length ? await wrangler(["r2", "bucket", "list"]) : "";
  const hasBucket = (name) =>
    listedBuckets.split("\n").some((line) => /^name:\s+(\S+)$/.exec(line.trim())?.[1] === name);
  for (const bucket of buckets) {
    if (hasBucket(bucket)) {
      log(`  r2 ${bucket}: exists`);
      continue;
    }
    await wrangler(["r2", "bucket", "create", bucket]);
    log(`  r2 ${bucket}: created`);
  }
  return { databases: databases.length, queues: queues.length, buckets: buckets.length };
}

/** The placeholders still left in an environment's configs (empty once provisioned). */
export function unprovisioned(env, root = ROOT) {
  return environmentNeeds(env, root).databases.filter((d) => isPlaceholderId(d.id));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { env: { type: "string" }, check: { type: "boolean" } } });
  if (values.env !== "staging" && values.env !== "production") {
    console.error("usage: npm run provision -- --env staging|production [--check]");
    process.exit(2);
  }
  if (values.check) {
    const left = unprovisioned(values.env);
    for (const d of left) console.error(`workers/${d.worker}/wrangler.toml: ${d.name} has placeholder id ${d.id}`);
    if (left.length) {
      console.error(`\n${values.env} is not provisioned: run  npm run provision -- --env ${values.env}  and commit.`);
      process.exit(1);
    }
    console.log(`${values.env}: every database id is provisioned`);
  } else {
    if (!process.env.CLOUDFLARE_API_TOKEN || !process.env.CLOUDFLARE_ACCOUNT_ID) {
      console.error("Set CLOUDFLARE_API_TOKEN and CLOUDFLARE_ACCOUNT_ID (see docs/deploying.md).");
      process.exit(2);
    }
    console.log(`Provisioning ${values.env}`);
    const done = await provision(values.env);
    console.log(
      `${values.env}: ${done.databases} databases, ${done.queues} queues, ${done.buckets} buckets. Commit the updated wrangler.toml files.`,
    );
  }
}
