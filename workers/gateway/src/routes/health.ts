import type { Context } from "hono";
import type { GatewayEnv } from "../env";
import { SERVICES, type ServiceBinding } from "../services";

type ServiceHealth = { status: "ok" | "down" | "absent"; latencyMs?: number };

const TIMEOUT_MS = 2_000;

async function probe(service: Fetcher | undefined): Promise<ServiceHealth> {
  if (!service) return { status: "absent" };
  const started = Date.now();
  try {
    const res = await Promise.race([
      service.fetch("https://internal/health"),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error("timeout")), TIMEOUT_MS)),
    ]);
    await res.body?.cancel();
    return { status: res.ok ? "ok" : "down", latencyMs: Date.now() - started };
  } catch {
    return { status: "down", latencyMs: Date.now() - started };
  }
}

/** `GET /health`: every service probed in parallel; 200 only when all are up. */
export async function health(c: Context<GatewayEnv>): Promise<Response> {
  const names = Object.keys(SERVICES) as ServiceBinding[];
  const results = await Promise.all(names.map((b) => probe(c.env[b])));
  const services = Object.fromEntries(names.map((b, i) => [SERVICES[b].name, results[i]]));
  const ok = results.every((r) => r.status === "ok");
  return c.json({ status: ok ? "ok" : "degraded", services }, ok ? 200 : 503, { "cache-control": "no-store" });
}
