import { env, SELF } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  formatPretty,
  isRoutineRequest,
  isSampledIn,
  isSuccessfulRead,
  logFormat,
  READ_SAMPLE_RATE,
  readSampleRate,
  SLOW_REQUEST_MS,
} from "../src/log";

const vars = env as unknown as { LOG_FORMAT?: string; LOG_READ_SAMPLE?: string };

/** Every line the fixture writes while `run` goes on, per console method. */
async function captured(run: () => Promise<unknown>) {
  const lines = { log: [] as string[], warn: [] as string[], error: [] as string[] };
  const spies = (["log", "warn", "error"] as const).map((m) =>
    vi.spyOn(console, m).mockImplementation((line: unknown) => void lines[m].push(String(line))),
  );
  try {
    await run();
  } finally {
    for (const s of spies) s.mockRestore();
  }
  return lines;
}

afterEach(() => {
  delete vars.LOG_FORMAT;
  delete vars.LOG_READ_SAMPLE;
});

/** Request ids the read sampling keeps (`true`) or leaves out (`false`) at the default rate. */
function idSampled(keep: boolean): string {
  for (let i = 0; ; i++) {
    const id = `sample-${keep}-${i}`;
    if (isSampledIn(id, READ_SAMPLE_RATE) === keep) return id;
  }
}

describe("formatPretty", () => {
  it("writes a request as `worker method path status ms requestId`", () => {
    const line = formatPretty("info", {
      worker: "orders",
      requestId: "01JREQ",
      traceparent: "00-0123456789abcdef0123456789abcdef-0123456789abcdef-01",
      method: "POST",
      route: "/orders",
      path: "/orders",
      status: 201,
      d1RoundTrips: 3,
      durationMs: 38,
    });
    expect(line).toBe("orders POST /orders 201 38ms 01JREQ");
  });

  it("writes other lines as worker, level, message and fields, the stack below", () => {
    expect(formatPretty("info", { worker: "payments", msg: "drained payment events", sent: 2 })).toBe(
      "payments drained payment events sent=2",
    );
    const err = new Error("boom");
    const line = formatPretty("error", {
      worker: "fixture",
      requestId: "req-1",
      msg: "unhandled error",
      error: String(err),
      ids: ["a", "b"],
      stack: err.stack,
    });
    const [first, ...rest] = line.split("\n");
    expect(first).toBe('fixture ERROR unhandled error error="Error: boom" ids=["a","b"] req-1');
    expect(rest.join("\n")).toBe(err.stack);
    expect(formatPretty("warn", { worker: "orders", msg: "retry" })).toBe("orders WARN retry");
  });
});

describe("isRoutineRequest", () => {
  const req = (path: string, status = 200, durationMs = 5) => ({ method: "GET", path, status, durationMs });

  it("leaves out health probes and static files that answered quickly", () => {
    expect(isRoutineRequest(req("/health"))).toBe(true);
    expect(isRoutineRequest(req("/app.js", 304))).toBe(true);
    expect(isRoutineRequest(req("/assets/views/catalog.js"))).toBe(true);
  });

  it("keeps them when slow or failing, and keeps every other request", () => {
    expect(isRoutineRequest(req("/health", 200, SLOW_REQUEST_MS))).toBe(false);
    expect(isRoutineRequest(req("/health", 503))).toBe(false);
    expect(isRoutineRequest(req("/styles.css", 500))).toBe(false);
    expect(isRoutineRequest(req("/orders"))).toBe(false);
    expect(isRoutineRequest(req("/openapi.json"))).toBe(false);
    expect(isRoutineRequest({ worker: "users", msg: "outbox drained" })).toBe(false);
  });
});

describe("log", () => {
  it("defaults to JSON lines, each line of a request carrying its requestId and traceparent", async () => {
    expect(logFormat({})).toBe("json");
    expect(logFormat({ LOG_FORMAT: "pretty" })).toBe("pretty");
    let res: Response | undefined;
    const lines = await captured(async () => {
      res = await SELF.fetch("https://x/noted");
    });
    const requestId = res?.headers.get("x-request-id");
    const warn = JSON.parse(lines.warn[0] ?? "{}");
    const request = JSON.parse(lines.log.at(-1) ?? "{}");
    expect(warn).toMatchObject({ level: "warn", worker: "fixture", msg: "noted inside a request", requestId });
    expect(warn.traceparent).toBe(request.traceparent);
    expect(request).toMatchObject({ level: "info", method: "GET", path: "/noted", status: 200, requestId });
    // Health probes stay in JSON, sampled like every successful read: Workers Logs keeps them, queryable.
    const health = await captured(() =>
      SELF.fetch("https://x/health", { headers: { "x-request-id": idSampled(true) } }),
    );
    expect(health.log.map((l) => JSON.parse(l).path)).toEqual(["/health"]);
  });

  it("in JSON, logs one successful read in READ_SAMPLE_RATE by request id, marked with its rate", async () => {
    const kept = idSampled(true);
    const left = idSampled(false);
    const lines = await captured(async () => {
      await SELF.fetch("https://x/plain", { headers: { "x-request-id": kept } });
      await SELF.fetch("https://x/plain", { headers: { "x-request-id": left } });
    });
    const requests = lines.log.map((l) => JSON.parse(l));
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({ path: "/plain", status: 200, requestId: kept, sampleRate: READ_SAMPLE_RATE });
    // Every worker a request crosses agrees (the id decides), and about 1 in N ids is kept.
    const ids = Array.from({ length: 4000 }, () => crypto.randomUUID());
    const share = ids.filter((id) => isSampledIn(id, READ_SAMPLE_RATE)).length / ids.length;
    expect(share).toBeGreaterThan(0.5 / READ_SAMPLE_RATE);
    expect(share).toBeLessThan(2 / READ_SAMPLE_RATE);
  });

  it("in JSON, always logs writes, failures, slow reads and reads that logged a warning", async () => {
    const left = idSampled(false);
    const lines = await captured(async () => {
      await SELF.fetch("https://x/noted", { headers: { "x-request-id": left } });
      await SELF.fetch("https://x/no-such-route", { headers: { "x-request-id": left } });
      await SELF.fetch("https://x/boom", { headers: { "x-request-id": left } });
      await SELF.fetch("https://x/plain", {
        method: "POST",
        headers: { "x-request-id": left, "content-type": "application/json" },
        body: "{}",
      });
    });
    const requests = [...lines.log, ...lines.error].map((l) => JSON.parse(l)).filter((l) => l.method);
    expect(requests.map((r) => `${r.method} ${r.path} ${r.status}`).sort()).toEqual(
      ["GET /boom 500", "GET /no-such-route 404", "GET /noted 200", "POST /plain 405"].sort(),
    );
    expect(requests.every((r) => r.sampleRate === undefined)).toBe(true);
    expect(isSuccessfulRead({ method: "GET", path: "/x", status: 200, durationMs: SLOW_REQUEST_MS })).toBe(false);
    expect(isSuccessfulRead({ method: "HEAD", path: "/x", status: 304, durationMs: 3 })).toBe(true);
    expect(isSuccessfulRead({ method: "GET", path: "/x", status: 404, durationMs: 3 })).toBe(false);
  });

  it("LOG_READ_SAMPLE sets another rate; 1 logs every read", async () => {
    expect(readSampleRate({})).toBe(READ_SAMPLE_RATE);
    expect(readSampleRate({ LOG_READ_SAMPLE: "0" })).toBe(READ_SAMPLE_RATE);
    vars.LOG_READ_SAMPLE = "1";
    const lines = await captured(() =>
      SELF.fetch("https://x/plain", { headers: { "x-request-id": idSampled(false) } }),
    );
    expect(lines.log.map((l) => JSON.parse(l))).toMatchObject([{ path: "/plain", status: 200 }]);
    expect(JSON.parse(lines.log[0] ?? "{}").sampleRate).toBeUndefined();
  });

  it("with LOG_FORMAT=pretty: one short line per request, none for a quick health probe, errors always", async () => {
    vars.LOG_FORMAT = "pretty";
    let requestId: string | null | undefined;
    const lines = await captured(async () => {
      requestId = (await SELF.fetch("https://x/noted")).headers.get("x-request-id");
      await SELF.fetch("https://x/health");
      await SELF.fetch("https://x/boom");
    });
    expect(lines.warn).toEqual([`fixture WARN noted inside a request ${requestId}`]);
    expect(lines.log).toHaveLength(1);
    expect(lines.log[0]).toMatch(new RegExp(`^fixture GET /noted 200 \\d+ms ${requestId}$`));
    const [unhandled, request] = lines.error;
    expect(unhandled).toMatch(/^fixture ERROR unhandled error error=.* [\w-]{8,}\n.*Error/);
    expect(request).toMatch(/^fixture GET \/boom 500 \d+ms [\w-]{8,}$/);
  });
});
