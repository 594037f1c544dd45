// Bundles every worker exactly as `wrangler deploy` would (dry run, offline) and prints each
// bundle's size; fails when one exceeds the Workers limit we hold ourselves to (1 MiB gzip).
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { presentWorkers, ROOT } from "./system.mjs";

const LIMIT = 1024 * 1024;
export function bundleSizes({ build = true } = {}) {
  const rows = [];
  for (const w of presentWorkers()) {
    const dir = join(ROOT, "workers", w);
    if (build) execFileSync("pnpm", ["run", "build"], { cwd: dir, stdio: ["ignore", "ignore", "inherit"] });
    const files = readdirSync(join(dir, "dist")).filter((f) => /\.(m?js|wasm)$/.test(f));
    let raw = 0;
    let gzip = 0;
    for (const f of files) {
      const buf = readFileSync(join(dir, "dist", f));
      raw += statSync(join(dir, "dist", f)).size;
      gzip += gzipSync(buf, { level: 9 }).length;
    }
    rows.push({ worker: w, raw, gzip });
  }
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const rows = bundleSizes();
  console.log("worker          bundle KiB   gzip KiB");
  let over = false;
  for (const r of rows) {
    const flag = r.gzip > LIMIT ? "  OVER 1 MiB gzip" : "";
    over ||= r.gzip > LIMIT;
    console.log(
      `${r.worker.padEnd(14)} ${(r.raw / 1024).toFixed(1).padStart(11)} ${(r.gzip / 1024).toFixed(1).padStart(10)}${flag}`,
    );
  }
  process.exit(over ? 1 : 0);
}
