// Every deployed environment bundles: `wrangler deploy --dry-run --env <env>` for each worker
// and each of staging and production, so a broken env section fails CI, not a deploy.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { presentWorkers, ROOT } from "./system.mjs";

const run = promisify(execFile);
const WRANGLER = join(ROOT, "node_modules", "wrangler", "bin", "wrangler.js");
const out = mkdtempSync(join(tmpdir(), "dry-run-"));
let failed = false;
for (const env of ["staging", "production"]) {
  // Two at a time: wrangler's bundling is CPU-bound and CI has two cores.
  const workers = presentWorkers();
  for (let i = 0; i < workers.length; i += 2) {
    await Promise.all(
      workers.slice(i, i + 2).map(async (w) => {
        try {
          await run(process.execPath, [WRANGLER, "deploy", "--dry-run", "--env", env, "--outdir", join(out, env, w)], {
            cwd: join(ROOT, "workers", w),
            env: { ...process.env, WRANGLER_SEND_METRICS: "false", NO_COLOR: "1" },
            maxBuffer: 16 * 1024 * 1024,
          });
          console.log(`  ${env.padEnd(10)} ${w}: ok`);
        } catch (err) {
          failed = true;
          console.error(`  ${env.padEnd(10)} ${w}: FAILED\n${err.stdout ?? ""}${err.stderr ?? ""}`);
        }
      }),
    );
  }
}
rmSync(out, { recursive: true, force: true });
process.exit(failed ? 1 : 0);
