// The production-bundle check (ADR 0015) fails on test machinery, and its markers find the real
// armed build: a rename in the harness cannot quietly blind it.
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { writeRunConfig } from "../../packages/testing/src/node.mjs";
import { checkBundle, findMarkers, MARKERS } from "../check-production-bundles.mjs";
import { ROOT } from "../system.mjs";

const SCRIPT = join(ROOT, "scripts", "check-production-bundles.mjs");
const temp = mkdtempSync(join(tmpdir(), "bundle-check-"));
after(() => rmSync(temp, { recursive: true, force: true }));

function bundleDir(name, text) {
  const dir = join(temp, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "index.js"), text);
  return dir;
}

const CLEAN = `async function injectFault(_env, _point) {\n}\nexport default { fetch() { return new Response("ok"); } };\n`;

test("a bundle without test machinery passes", () => {
  assert.deepEqual(findMarkers(CLEAN), []);
  const r = spawnSync(process.execPath, [SCRIPT, "--bundle", bundleDir("clean", CLEAN)], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
});

test("a bundle with a fault switch route fails, naming the marker and the line", () => {
  const dir = bundleDir("faulty", `${CLEAN}app.all("/__faults", (c) => c.json({}));\n`);
  assert.deepEqual(
    checkBundle(dir).map((f) => [f.name, f.file, f.line]),
    [["fault switch route", "index.js", 4]],
  );
  const r = spawnSync(process.execPath, [SCRIPT, "--bundle", dir], { encoding: "utf8" });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /fault switch route — index\.js:4/);
});

test("every marker is found on its own", () => {
  const samples = {
    "fault switch route": `fetch("https://internal/__faults")`,
    "D1 meter route": `app.get("/__meters", h)`,
    "Server-Timing header": `headers.append("Server-Timing", "d1")`,
    "fault switchboard": `throw new Error("injected fault at " + point)`,
    "D1 round-trip counter": "return countRoundTrips(db, null);",
    "deliberately unguarded reserve": "const reserve = reserveUnguarded;",
    "test switch variable": `env.FAULT_INJECTION === "on"`,
    "benchmark geography delays": `app.put("/__geo", h)`,
  };
  assert.deepEqual(Object.keys(samples).sort(), MARKERS.map((m) => m.name).sort());
  for (const [name, line] of Object.entries(samples)) {
    assert.deepEqual(
      findMarkers(`${CLEAN}${line}\n`).map((f) => f.name),
      [name],
      name,
    );
  }
});

test("the armed build of the products worker is caught on every marker of the harness", () => {
  const out = join(temp, "armed-products");
  // The same generated config the battery's systems and the benchmark build with.
  const config = writeRunConfig("products", { tag: `check-${process.pid}`, harness: true });
  try {
    execFileSync(
      process.execPath,
      [
        join(ROOT, "node_modules/wrangler/bin/wrangler.js"),
        "deploy",
        "--dry-run",
        "--env=",
        "-c",
        config,
        "--outdir",
        out,
      ],
      {
        cwd: join(ROOT, "workers", "products"),
        stdio: ["ignore", "ignore", "pipe"],
        env: { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false" },
      },
    );
  } finally {
    rmSync(config, { force: true });
  }
  const names = new Set(checkBundle(out).map((f) => f.name));
  for (const m of MARKERS.filter((m) => m.name !== "test switch variable")) assert.ok(names.has(m.name), m.name);
});
