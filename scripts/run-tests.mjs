// Runs every suite (each worker's vitest-in-workerd suite, then e2e) and prints one total.
// Usage: node scripts/run-tests.mjs [suite ...]   e.g. `npm test -- products e2e`
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { presentWorkers, ROOT } from "./system.mjs";

const wanted = process.argv.slice(2);
const packageSuites = ["runtime"].filter((p) => existsSync(join(ROOT, "packages", p, "vitest.config.ts")));
/**
 * Plain Node suites (node's own test runner): the fake Stripe server in packages/testing, and
 * the repository's own scripts (provisioning, deploy order) in scripts/test.
 */
const nodeSuites = ["testing", "scripts"].filter((p) =>
  existsSync(p === "scripts" ? join(ROOT, "scripts", "test") : join(ROOT, "packages", p, "test")),
);
const workerSuites = presentWorkers().filter((w) => existsSync(join(ROOT, "workers", w, "vitest.config.ts")));
const suites = [...nodeSuites, ...packageSuites, ...workerSuites, "e2e"].filter(
  (s) => wanted.length === 0 || wanted.includes(s),
);
const dirOf = (suite) =>
  suite === "e2e" || suite === "scripts"
    ? join(ROOT, suite)
    : packageSuites.includes(suite) || nodeSuites.includes(suite)
      ? join(ROOT, "packages", suite)
      : join(ROOT, "workers", suite);
const reports = join(ROOT, ".state-reports");
rmSync(reports, { recursive: true, force: true });
mkdirSync(reports, { recursive: true });

// Neighbouring workers are loaded into each other's tests as bundles: build them once.
for (const w of presentWorkers()) {
  const r = spawnSync("pnpm", ["--filter", `@shop/${w}`, "build"], {
    cwd: ROOT,
    stdio: ["ignore", "ignore", "inherit"],
  });
  if (r.status !== 0) {
    console.error(`build of ${w} failed`);
    process.exit(1);
  }
}

const rows = [];
for (const suite of suites) {
  const cwd = dirOf(suite);
  const out = join(reports, `${suite}.json`);
  console.log(`\n━━━ ${suite} ━━━`);
  const started = Date.now();
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  let r;
  if (nodeSuites.includes(suite)) {
    // node --test: the spec reporter for people, TAP into a file for the counts.
    const tap = join(reports, `${suite}.tap`);
    r = spawnSync(
      process.execPath,
      [
        "--test",
        "--test-concurrency=1",
        "--test-reporter=spec",
        "--test-reporter-destination=stdout",
        "--test-reporter=tap",
        `--test-reporter-destination=${tap}`,
        "test/**/*.test.mjs",
      ],
      { cwd, stdio: "inherit", env: process.env },
    );
    if (existsSync(tap)) {
      const text = readFileSync(tap, "utf8");
      const count = (word) => Number(text.match(new RegExp(`^# ${word} (\\d+)$`, "m"))?.[1] ?? 0);
      passed = count("pass");
      failed = count("fail") + count("cancelled");
      skipped = count("skipped") + count("todo");
    }
  } else {
    r = spawnSync(
      process.execPath,
      [
        join(ROOT, "node_modules", "vitest", "vitest.mjs"),
        "run",
        "--silent=passed-only",
        "--reporter=default",
        "--reporter=json",
        `--outputFile.json=${out}`,
      ],
      {
        cwd,
        stdio: "inherit",
        env: { ...process.env, SHOP_REBUILD_AUX: "0", FORCE_COLOR: process.env.CI ? "0" : process.env.FORCE_COLOR },
      },
    );
    if (existsSync(out)) {
      const json = JSON.parse(readFileSync(out, "utf8"));
      passed = json.numPassedTests;
      failed = json.numFailedTests;
      skipped = json.numPendingTests + (json.numTodoTests ?? 0);
      if (json.numFailedTestSuites) failed += json.numFailedTestSuites;
    }
  }
  if (r.status !== 0 && failed === 0) failed = 1; // the runner itself failed (config, startup)
  rows.push({ suite, passed, failed, skipped, seconds: Math.round((Date.now() - started) / 1000) });
}

console.log("\nsuite            passed  failed  skipped  seconds");
for (const r of rows) {
  console.log(
    `${r.suite.padEnd(16)} ${String(r.passed).padStart(6)}  ${String(r.failed).padStart(6)}  ${String(r.skipped).padStart(7)}  ${String(r.seconds).padStart(7)}`,
  );
}
const total = rows.reduce(
  (a, r) => ({ passed: a.passed + r.passed, failed: a.failed + r.failed, skipped: a.skipped + r.skipped }),
  {
    passed: 0,
    failed: 0,
    skipped: 0,
  },
);
console.log(`\ntests: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
process.exit(total.failed > 0 || total.passed === 0 ? 1 : 0);
