import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// @ts-expect-error plain ESM module shared with `npm start`
import { presentWorkers, ROOT } from "../../scripts/system.mjs";

/**
 * `npm start` as a newcomer runs it (scripts/start.sh: toolchain, install, then every worker),
 * on ports of its own next to this run's systems and on a fresh state folder: what the console
 * shows, and that stopping it leaves nothing behind.
 */
const PORT = Number(process.env.E2E_PORT ?? 8797) + 50;
const SMS_PORT = PORT + 1;
const INSPECTOR_PORT = PORT + 10_000;
const WORKERS: string[] = presentWorkers();

let stateDir: string;
let child: ChildProcess;
let exited: Promise<number | null>;
const output: string[] = [];

async function waitFor(predicate: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; console so far:\n${output.join("\n")}`);
    if (child.exitCode !== null) throw new Error(`npm start exited (${child.exitCode}):\n${output.join("\n")}`);
    await sleep(100);
  }
}

/** True when nothing listens on the port any more. */
function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

/** Processes still running for this start: wrangler names the state folder, workerd the port. */
function leftovers(): number[] {
  const ps = execFileSync("ps", ["-eo", "pid=,args="], { encoding: "utf8" });
  const port = new RegExp(`127\\.0\\.0\\.1:${PORT}\\b`);
  return ps
    .split("\n")
    .filter((line) => line.includes(stateDir) || port.test(line))
    .map((line) => Number(line.trim().split(/\s+/)[0]))
    .filter((pid) => pid !== process.pid);
}

describe("npm start", () => {
  beforeAll(async () => {
    stateDir = mkdtempSync(join(tmpdir(), "shop-start-"));
    // Exactly what the README says: `npm start` (npm's own two header lines count too).
    child = spawn("npm", ["start"], {
      cwd: ROOT,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
      env: {
        ...process.env,
        SHOP_PORT: String(PORT),
        SMS_SINK_PORT: String(SMS_PORT),
        SHOP_STATE_DIR: stateDir,
        NO_COLOR: "1",
        // As on a developer's machine (CI makes the install step print pnpm's full output).
        CI: "",
      },
    });
    // npm forwards SIGTERM to the script and then ends by the same signal: both mean "stopped".
    exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve(signal === "SIGTERM" ? 0 : code)));
    for (const stream of [child.stdout, child.stderr]) {
      if (stream) createInterface({ input: stream }).on("line", (line) => output.push(line));
    }
    await waitFor(() => output.some((l) => /^Ready in \d+ s/.test(l)), 240_000, "the ready line");
  }, 300_000);

  afterAll(async () => {
    mkdirSync(join(ROOT, "e2e", "artifacts"), { recursive: true });
    writeFileSync(join(ROOT, "e2e", "artifacts", "start-output.txt"), `${output.join("\n")}\n`);
    // Whatever a failed test left running.
    if (child?.exitCode === null) {
      child.kill("SIGTERM");
      await Promise.race([exited, sleep(20_000)]);
    }
    for (const pid of stateDir ? leftovers() : []) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {}
    }
    if (stateDir) rmSync(stateDir, { recursive: true, force: true });
  }, 60_000);

  it("shows the banner within the first 15 lines: addresses, accounts, state and logs", () => {
    const head = output.slice(0, 15).join("\n");
    expect(head).toContain(`http://localhost:${PORT}/`);
    expect(head).toContain(`http://localhost:${PORT}/docs`);
    expect(head).toContain(`http://localhost:${PORT}/health`);
    expect(head).toContain(`http://localhost:${SMS_PORT}/messages`);
    expect(head).toMatch(/admin@shop\.local \/ \S+/);
    expect(head).toMatch(/demo@shop\.local \/ \S+/);
    expect(head).toContain("Ctrl-C");
    expect(head).toContain("--fresh");
    expect(head).toContain(join(stateDir, "logs", "wrangler.log"));
  });

  it("then one ready line per worker, and one `Ready in N s`", () => {
    for (const worker of WORKERS) {
      expect(output.filter((l) => new RegExp(`^\\s+\\S+ ${worker}\\s+ready\\b`).test(l))).toHaveLength(1);
    }
    expect(output.filter((l) => /^Ready in \d+ s/.test(l))).toHaveLength(1);
  });

  it("keeps wrangler's tables, pnpm's warnings and colours off the console, in the log file instead", () => {
    const all = output.join("\n");
    expect(all).not.toContain("[not connected]");
    expect(all).not.toContain("has access to the following bindings");
    expect(all).not.toMatch(/[╭╮╰╯]|Ignored build scripts/);
    expect(all).not.toContain("\x1b[");
    expect(all).not.toContain("Scheduled Workers are not automatically triggered");
    // Nothing between the banner and the ready lines but the ready lines themselves.
    const firstReady = output.findIndex((l) => /\bready\b/.test(l));
    const banner = output.findIndex((l) => l.includes("full logs"));
    expect(output.slice(banner + 1, firstReady).filter((l) => l.trim())).toEqual([]);
    const log = join(stateDir, "logs", "wrangler.log");
    expect(existsSync(log)).toBe(true);
    expect(execFileSync("grep", ["-c", "has access to the following bindings", log], { encoding: "utf8" })).not.toBe(
      "0\n",
    );
  });

  it("prints one compact line for a request through the gateway, and none for a health probe", async () => {
    const res = await fetch(`http://127.0.0.1:${PORT}/products`);
    expect(res.status).toBe(200);
    const requestId = res.headers.get("x-request-id") as string;
    expect(requestId).toBeTruthy();
    await waitFor(() => output.some((l) => l.includes(requestId)), 10_000, "the request line");
    await sleep(500); // the gateway's own line, if it were printed, comes right after
    const lines = output.filter((l) => l.includes(requestId));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^\\S+ GET /products 200 \\d+ms ${requestId}$`));

    // A sign-in and a wrong address: one line each too.
    const login = await fetch(`http://127.0.0.1:${PORT}/users/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        email: "demo@shop.local",
        password: process.env.SHOP_DEMO_PASSWORD ?? "demo-pass-2026",
      }),
    });
    expect(login.status).toBe(200);
    const missing = await fetch(`http://127.0.0.1:${PORT}/no-such-page`, { headers: { accept: "application/json" } });
    expect(missing.status).toBe(404);
    for (const [res, pattern] of [
      [login, "POST /users/login 200"],
      [missing, "GET /no-such-page 404"],
    ] as const) {
      const id = res.headers.get("x-request-id") as string;
      await waitFor(() => output.some((l) => l.includes(id)), 10_000, `the line of ${pattern}`);
      await sleep(300);
      expect(output.filter((l) => l.includes(id))).toEqual([expect.stringMatching(`^\\S+ ${pattern} \\d+ms ${id}$`)]);
    }

    const before = output.length;
    const probe = await fetch(`http://127.0.0.1:${PORT}/health`, {
      headers: { "x-request-id": `probe-${Date.now()}` },
    });
    expect(probe.status).toBe(200);
    // A request after the probe: once its line is out, the probe's would have been too.
    const after = (await fetch(`http://127.0.0.1:${PORT}/categories`)).headers.get("x-request-id") as string;
    await waitFor(() => output.some((l) => l.includes(after)), 10_000, "the line after the probe");
    expect(output.slice(before).filter((l) => l.includes("/health") || l.includes("probe-"))).toEqual([]);
  });

  it("stops every child on SIGTERM: the ports are free and no process is left", async () => {
    expect(leftovers().length).toBeGreaterThan(0); // wrangler and workerd name the state folder
    child.kill("SIGTERM");
    expect(await Promise.race([exited, sleep(30_000).then(() => "still running")])).toBe(0);
    // npm may be gone before the start script has finished stopping what it started.
    await waitFor(() => output.at(-1) === "Stopped.", 30_000, "Stopped.");
    for (let i = 0; i < 50 && leftovers().length; i++) await sleep(200);
    expect(leftovers()).toEqual([]);
    expect(await portFree(PORT)).toBe(true);
    expect(await portFree(SMS_PORT)).toBe(true);
    expect(await portFree(INSPECTOR_PORT)).toBe(true);
    for (const worker of WORKERS)
      expect(existsSync(join(ROOT, "workers", worker, `.wrangler.run-${PORT}.json`))).toBe(false);
    expect(output.at(-1)).toBe("Stopped.");
  }, 60_000);
});
