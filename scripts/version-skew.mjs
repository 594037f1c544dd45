// Version skew (ADR 0016): every worker deploys alone, so for a while each one runs beside
// neighbours of another release. This proves the journey still works in both halves of that
// window, worker by worker: the worker at this checkout among the others at the last release
// ("new among old"), and the worker at the last release among the others at this checkout
// ("old among new"). Each combination is one whole local system (scripts/system.mjs with
// `trees`) and one run of e2e/skew/journey.test.ts; a table of the results ends the run, and
// any failure makes the exit status non-zero.
//
// Usage: node scripts/version-skew.mjs [--base <ref>] [--workers a,b | --fast] [--directions new,old] [--keep]
//   --base / SKEW_BASE     the last release (default: see resolveBase)
//   --workers / SKEW_WORKERS  which workers take turns (default: all)
//   --fast                 one worker, chosen by what changed since the base (see pickFastWorker)
//   --directions           new (the worker new among old), old (the worker old among new); default both
//   --keep / SKEW_KEEP=1   keep the base checkout (SKEW_BASE_DIR, default $TMPDIR/shop-skew-<sha>) for the next run
//   SKEW_PORT              the systems' port (default 8867: it and the next, +5 with both payment modes)
//   E2E_PAYMENT_MODES      passed on (default simulated: the journey once, on the simulated provider)
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, openSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { callees } from "./deploy-order.mjs";
import { presentWorkers, ROOT } from "./system.mjs";

export const DIRECTIONS = {
  new: "new among old",
  old: "old among new",
};

const git = (args, cwd = ROOT) =>
  execFileSync("git", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
const tryGit = (args, cwd = ROOT) => {
  try {
    return git(args, cwd);
  } catch {
    return null;
  }
};

/**
 * The last release, first match wins:
 * 1. SKEW_BASE (or --base): any ref, when a person or a job knows better;
 * 2. the `deployed-production` tag: what production runs (the deploy workflow moves it);
 * 3. the newest `v*` tag by version: what the last production deploy was started from;
 * 4. without tags: the commit this one branched from `origin/main` (a pull request's base, which
 *    CI proved and staging runs), or — on main itself, or with no origin — the previous commit.
 */
export function resolveBase({ override, gitCommand = tryGit } = {}) {
  const sha = (ref) => gitCommand(["rev-parse", "--verify", "--quiet", `${ref}^{commit}`]);
  if (override) {
    const s = sha(override);
    if (!s) throw new Error(`SKEW_BASE ${override} is not a commit here (fetch tags and history: fetch-depth 0)`);
    return { ref: override, sha: s, rule: "SKEW_BASE" };
  }
  const deployed = sha("refs/tags/deployed-production");
  if (deployed) return { ref: "deployed-production", sha: deployed, rule: "the deployed-production tag" };
  const tag = (gitCommand(["tag", "--list", "v*", "--sort=-v:refname"]) ?? "").split("\n").find(Boolean);
  if (tag) return { ref: tag, sha: sha(`refs/tags/${tag}`), rule: "the newest v* tag" };
  const head = sha("HEAD");
  const forkPoint = sha("refs/remotes/origin/main") ? gitCommand(["merge-base", "HEAD", "origin/main"]) : null;
  if (forkPoint && forkPoint !== head)
    return { ref: "origin/main", sha: forkPoint, rule: "where this branched from origin/main" };
  const previous = sha("HEAD~1");
  if (!previous)
    throw new Error("no release to compare with: no tag, no origin/main, no previous commit (shallow clone?)");
  return { ref: "HEAD~1", sha: previous, rule: "the previous commit" };
}

/**
 * The fast form's one worker: of those changed since the base, the one with the most service
 * bindings in and out (its contracts meet the most neighbours), ties in start order.
 */
export function pickFastWorker(changed, graph = callees()) {
  const degree = (w) => (graph.get(w)?.length ?? 0) + [...graph.values()].filter((calls) => calls.includes(w)).length;
  return [...changed].sort(
    (a, b) => degree(b) - degree(a) || presentWorkers().indexOf(a) - presentWorkers().indexOf(b),
  )[0];
}

/**
 * The trees of one combination: whose code runs each worker, and whose migrations each database
 * gets. `workers` are those the base has (a worker new since the base always runs new).
 */
export function combination(worker, direction, baseRoot, workers = presentWorkers()) {
  if (direction === "new") {
    // The worker was just deployed (its migrations applied first); the others still run the release.
    const trees = Object.fromEntries(workers.filter((w) => w !== worker).map((w) => [w, baseRoot]));
    return { trees, migrationTrees: trees };
  }
  // The others are deployed, this worker still runs the release — on the NEW schema, as while its
  // own deploy is under way (migrations go first) or after its code was rolled back.
  return { trees: { [worker]: baseRoot }, migrationTrees: {} };
}

/** The base commit checked out and installed beside this one (reused when already there). */
function materialise(base, dir, log) {
  const ready =
    existsSync(join(dir, "node_modules", ".modules.yaml")) && tryGit(["rev-parse", "HEAD"], dir) === base.sha;
  if (ready) {
    log(`base checkout reused: ${dir}`);
    return;
  }
  if (existsSync(dir)) {
    tryGit(["worktree", "remove", "--force", dir]);
    rmSync(dir, { recursive: true, force: true });
  }
  tryGit(["worktree", "prune"]);
  git(["worktree", "add", "--detach", dir, base.sha]);
  // The toolchain is the same one (bootstrap.sh looks for it in the checkout's .tools).
  if (existsSync(join(ROOT, ".tools")) && !existsSync(join(dir, ".tools")))
    symlinkSync(join(ROOT, ".tools"), join(dir, ".tools"));
  log(`installing the base's dependencies (pnpm install --frozen-lockfile --prefer-offline) in ${dir}`);
  const started = Date.now();
  const r = spawnSync("pnpm", ["install", "--frozen-lockfile", "--prefer-offline", "--reporter=append-only"], {
    cwd: dir,
    encoding: "utf8",
    env: { ...process.env, CI: "true" },
  });
  if (r.status !== 0) throw new Error(`pnpm install in the base checkout failed:\n${r.stdout}\n${r.stderr}`);
  log(`  installed in ${Math.round((Date.now() - started) / 1000)} s`);
}

function removeCheckout(dir) {
  tryGit(["worktree", "remove", "--force", dir]);
  rmSync(dir, { recursive: true, force: true });
  tryGit(["worktree", "prune"]);
}

/** One combination: the skew journey against a system started with these trees. */
function runJourney({ worker, direction, trees, migrationTrees, port, outDir }) {
  const name = `${worker}-${direction}`;
  const logFile = join(outDir, `${name}.log`);
  const out = openSync(logFile, "w");
  const env = {
    ...process.env,
    E2E_PORT: String(port),
    E2E_PAYMENT_MODES: process.env.E2E_PAYMENT_MODES ?? "simulated",
    E2E_WORKER_TREES: JSON.stringify(trees),
    E2E_MIGRATION_TREES: JSON.stringify(migrationTrees),
  };
  const started = Date.now();
  return new Promise((done) => {
    const child = spawn("npx", ["vitest", "run", "-c", "vitest.skew.config.ts"], {
      cwd: join(ROOT, "e2e"),
      env,
      stdio: ["ignore", out, out],
    });
    child.on("exit", (code, signal) => {
      // The system's own log (wrangler, workerd) is overwritten by the next start: keep it.
      const systemLog = join(ROOT, `.state-e2e-${port}.log`);
      if (existsSync(systemLog)) copyFileSync(systemLog, join(outDir, `${name}.system.log`));
      done({ worker, direction, ok: code === 0, seconds: Math.round((Date.now() - started) / 1000), logFile, signal });
    });
  });
}

function table(rows, workers, directions) {
  const head = ["worker", ...directions.map((d) => DIRECTIONS[d])];
  const lines = workers.map((w) => [
    w,
    ...directions.map((d) => {
      const r = rows.find((x) => x.worker === w && x.direction === d);
      return r ? `${r.ok ? "pass" : "FAIL"} (${r.seconds} s)` : "—";
    }),
  ]);
  const widths = head.map((_, i) => Math.max(...[head, ...lines].map((l) => l[i].length)));
  const fmt = (l) => `| ${l.map((c, i) => c.padEnd(widths[i])).join(" | ")} |`;
  return [fmt(head), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...lines.map(fmt)].join("\n");
}

async function main() {
  const { values } = parseArgs({
    options: {
      base: { type: "string" },
      workers: { type: "string" },
      directions: { type: "string" },
      fast: { type: "boolean" },
      keep: { type: "boolean" },
    },
  });
  const log = (line) => console.log(line);
  const base = resolveBase({ override: values.base ?? process.env.SKEW_BASE });
  log(
    `version skew: this checkout (${git(["rev-parse", "--short", "HEAD"])}${git(["status", "--porcelain"]) ? ", with uncommitted changes" : ""}) against ${base.ref} = ${base.sha.slice(0, 12)} (${base.rule})`,
  );

  // Nothing that runs in a worker differs: there is no skew to prove.
  const runtimePaths = ["workers", "packages", "migrations", "pnpm-lock.yaml"];
  if (spawnSync("git", ["diff", "--quiet", base.sha, "--", ...runtimePaths], { cwd: ROOT }).status === 0) {
    log("no worker, package or migration differs from the base: nothing to prove");
    return 0;
  }

  const directions = (values.directions ?? process.env.SKEW_DIRECTIONS ?? "new,old").split(",").filter(Boolean);
  for (const d of directions) if (!DIRECTIONS[d]) throw new Error(`unknown direction ${d} (new, old)`);
  let workers = presentWorkers();
  if (values.fast) {
    const changed = JSON.parse(
      execFileSync(process.execPath, [join(ROOT, "scripts", "changed-workers.mjs"), base.sha, "HEAD"], {
        cwd: ROOT,
        encoding: "utf8",
      }),
    );
    // Uncommitted changes count too (a local run before the commit).
    const dirty = git(["status", "--porcelain"])
      .split("\n")
      .map((l) => l.slice(3));
    for (const w of workers)
      if (dirty.some((f) => f.startsWith(`workers/${w}/`) || f.startsWith(`migrations/${w}/`)) && !changed.includes(w))
        changed.push(w);
    if (!changed.length) {
      log("no worker changed since the base: nothing to prove");
      return 0;
    }
    workers = [pickFastWorker(changed)];
    log(`fast form: ${workers[0]} (changed: ${changed.join(", ")}; the one with the most neighbours)`);
  } else if (values.workers ?? process.env.SKEW_WORKERS) {
    workers = (values.workers ?? process.env.SKEW_WORKERS).split(",").filter(Boolean);
    for (const w of workers) if (!presentWorkers().includes(w)) throw new Error(`unknown worker ${w}`);
  }

  const dir = process.env.SKEW_BASE_DIR ?? join(tmpdir(), `shop-skew-${base.sha.slice(0, 12)}`);
  const keep = values.keep || process.env.SKEW_KEEP === "1";
  const port = Number(process.env.SKEW_PORT ?? 8867);
  const outDir = join(ROOT, ".state-skew");
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });

  const rows = [];
  try {
    materialise(base, dir, log);
    const inBase = presentWorkers(dir);
    for (const worker of workers) {
      for (const direction of directions) {
        if (!inBase.includes(worker)) {
          log(`${worker}: new since the base, no older version to skew against`);
          continue;
        }
        const { trees, migrationTrees } = combination(worker, direction, dir, inBase);
        process.stdout.write(`${worker}, ${DIRECTIONS[direction]} … `);
        const row = await runJourney({ worker, direction, trees, migrationTrees, port, outDir });
        rows.push(row);
        log(`${row.ok ? "pass" : "FAIL"} (${row.seconds} s)${row.ok ? "" : ` — ${row.logFile}`}`);
      }
    }
  } finally {
    if (!keep) removeCheckout(dir);
  }

  const summary = table(rows, workers, directions);
  log(`\n${summary}`);
  writeFileSync(join(outDir, "summary.md"), `Version skew against ${base.ref} (${base.sha})\n\n${summary}\n`);
  if (process.env.GITHUB_STEP_SUMMARY)
    writeFileSync(
      process.env.GITHUB_STEP_SUMMARY,
      `### Version skew against ${base.ref} (${base.sha.slice(0, 12)})\n\n${summary}\n`,
      { flag: "a" },
    );
  const failed = rows.filter((r) => !r.ok);
  if (failed.length) {
    log(`\n${failed.length} combination(s) failed; each one's test output and system log are in ${outDir}/`);
    return 1;
  }
  log(`\nskew: ${rows.length} passed, 0 failed`);
  return 0;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().then(
    (code) => process.exit(code),
    (err) => {
      console.error(err.message ?? err);
      process.exit(1);
    },
  );
}
