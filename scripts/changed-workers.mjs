// Which workers a change touches: its own folder, its migrations, or any workspace package it
// depends on (transitively). Prints a JSON array, for the deploy workflow's matrix.
// Usage: node scripts/changed-workers.mjs <base-ref> [head-ref]   (no base → all workers)
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { presentWorkers, ROOT } from "./system.mjs";

const [base, head = "HEAD"] = process.argv.slice(2);
const workers = presentWorkers();
if (!base || /^0+$/.test(base)) {
  console.log(JSON.stringify(workers));
  process.exit(0);
}
const changed = execFileSync("git", ["diff", "--name-only", `${base}...${head}`], { cwd: ROOT, encoding: "utf8" })
  .split("\n")
  .filter(Boolean);

const pkgJson = (dir) => JSON.parse(readFileSync(join(ROOT, dir, "package.json"), "utf8"));
const workspaceDirOf = (name) => `packages/${name.replace("@shop/", "")}`;
function localDeps(dir, seen = new Set()) {
  const pkg = pkgJson(dir);
  for (const [name, spec] of Object.entries(pkg.dependencies ?? {})) {
    if (!String(spec).startsWith("workspace:")) continue;
    const depDir = workspaceDirOf(name);
    if (seen.has(depDir)) continue;
    seen.add(depDir);
    localDeps(depDir, seen);
  }
  return seen;
}

const rootFiles = ["pnpm-lock.yaml", "pnpm-workspace.yaml", "package.json", "tsconfig.base.json"];
const result = workers.filter((w) => {
  const watched = [`workers/${w}/`, `migrations/${w}/`, ...[...localDeps(`workers/${w}`)].map((d) => `${d}/`)];
  return changed.some((f) => rootFiles.includes(f) || watched.some((p) => f.startsWith(p)));
});
console.log(JSON.stringify(result));
