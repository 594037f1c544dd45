// Production bundles carry no test machinery (ADR 0015): no fault switches, no D1 meters, no
// Server-Timing, no deliberately broken reserve. Bundles every worker as each deploy does —
// `wrangler deploy --dry-run` (top level), `--env staging` and `--env production` — and fails
// when any bundle contains a marker of the armed harness.
//   node scripts/check-production-bundles.mjs                 build and check every worker
//   node scripts/check-production-bundles.mjs --bundle <dir>  check a bundle already built
import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs, promisify } from "node:util";
import { presentWorkers, ROOT, WRANGLER } from "./system.mjs";

/**
 * What only the armed harness (packages/runtime/src/harness/armed.ts and its modules, a
 * worker's src/harness/armed.ts) puts into a bundle. A test builds the armed products worker
 * and expects these to find it, so a rename there cannot quietly blind the check.
 */
export const MARKERS = [
  { name: "fault switch route", pattern: /__faults/ },
  { name: "D1 meter route", pattern: /__meters/ },
  { name: "Server-Timing header", pattern: /server-timing/i },
  { name: "fault switchboard", pattern: /\barmFaults\b|injected fault at/ },
  { name: "D1 round-trip counter", pattern: /\bcountRoundTrips\b|\bisolateRoundTrips\b/ },
  { name: "deliberately unguarded reserve", pattern: /\breserveUnguarded\b|reserve-unguarded/ },
  { name: "test switch variable", pattern: /FAULT_INJECTION|D1_METERS/ },
  { name: "benchmark geography delays", pattern: /__geo\b|\bwithGeography\b|\bfarTrip\b/ },
];

/** Every marker in `text`, with the first line it is on. */
export function findMarkers(text) {
  const lines = text.split("\n");
  const found = [];
  for (const { name, pattern } of MARKERS) {
    const line = lines.findIndex((l) => pattern.test(l));
    if (line >= 0) found.push({ name, line: line + 1, text: lines[line].trim().slice(0, 120) });
  }
  return found;
}

/** Markers in every JavaScript file of a bundle directory (wrangler's --outdir). */
export function checkBundle(dir) {
  const found = [];
  for (const file of readdirSync(dir, { recursive: true })) {
    if (!/\.(m?js|cjs)$/.test(String(file)) || String(file).endsWith(".map")) continue;
    for (const m of findMarkers(readFileSync(join(dir, String(file)), "utf8")))
      found.push({ file: String(file), ...m });
  }
  return found;
}

const report = (label, found) => {
  if (!found.length) return console.log(`  ${label}: clean`);
  console.error(`  ${label}: TEST MACHINERY IN A PRODUCTION BUNDLE`);
  for (const f of found) console.error(`    ${f.name} — ${f.file}:${f.line}: ${f.text}`);
};

async function buildAndCheckAll() {
  const run = promisify(execFile);
  const wrangler = WRANGLER;
  const out = mkdtempSync(join(tmpdir(), "production-bundles-"));
  const jobs = presentWorkers().flatMap((w) => ["", "staging", "production"].map((env) => ({ w, env })));
  let failed = false;
  try {
    // Two at a time: wrangler's bundling is CPU-bound and CI has two cores.
    for (let i = 0; i < jobs.length; i += 2) {
      await Promise.all(
        jobs.slice(i, i + 2).map(async ({ w, env }) => {
          const dir = join(out, env || "default", w);
          const label = `${(env || "default").padEnd(10)} ${w}`;
          try {
            await run(process.execPath, [wrangler, "deploy", "--dry-run", `--env=${env}`, "--outdir", dir], {
              cwd: join(ROOT, "workers", w),
              env: {
                ...process.env,
                WRANGLER_SEND_METRICS: "false",
                CLOUDFLARE_CF_FETCH_ENABLED: "false",
                NO_COLOR: "1",
              },
              maxBuffer: 16 * 1024 * 1024,
            });
          } catch (err) {
            failed = true;
            console.error(`  ${label}: BUILD FAILED\n${err.stdout ?? ""}${err.stderr ?? ""}`);
            return;
          }
          const found = checkBundle(dir);
          failed ||= found.length > 0;
          report(label, found);
        }),
      );
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
  return !failed;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { bundle: { type: "string" } } });
  if (values.bundle) {
    const found = checkBundle(values.bundle);
    report(values.bundle, found);
    process.exit(found.length ? 1 : 0);
  }
  process.exit((await buildAndCheckAll()) ? 0 : 1);
}
