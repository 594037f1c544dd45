import { z } from "zod";

/**
 * Test-only fault injection, for the correctness battery. Inert unless the worker's env has
 * `FAULT_INJECTION = "on"` — never set in any wrangler.toml; the battery starts the system
 * with `--var FAULT_INJECTION:on`. Faults live in isolate memory and are set over HTTP
 * (`PUT /__faults`, reached through the gateway at `/__faults/<service>` only when the
 * gateway itself has the switch on).
 */
export const FaultSpec = z
  .object({
    /** "error" throws at the point; "delay" waits `delayMs` then continues. */
    mode: z.enum(["error", "delay"]),
    delayMs: z.int().min(0).max(60_000).default(0),
    /** Fire this many times, then disarm; absent = until cleared. */
    times: z.int().min(1).max(1_000_000).optional(),
    probability: z.number().min(0).max(1).default(1),
  })
  .strict();
export type FaultSpec = z.infer<typeof FaultSpec>;

const armed = new Map<string, FaultSpec & { fired: number }>();

export function faultsEnabled(env: unknown): boolean {
  return (env as { FAULT_INJECTION?: string } | undefined)?.FAULT_INJECTION === "on";
}

/** Call at a step where a failure must be survivable. A no-op in every real configuration. */
export async function injectFault(env: unknown, point: string): Promise<void> {
  if (!faultsEnabled(env)) return;
  const fault = armed.get(point);
  if (!fault) return;
  if (fault.times !== undefined && fault.fired >= fault.times) return;
  if (Math.random() >= fault.probability) return;
  fault.fired++;
  if (fault.delayMs > 0) await new Promise((r) => setTimeout(r, fault.delayMs));
  if (fault.mode === "error") throw new Error(`injected fault at ${point}`);
}

export function armFaults(specs: Record<string, FaultSpec>): void {
  for (const [point, spec] of Object.entries(specs)) armed.set(point, { ...spec, fired: 0 });
}

export function clearFaults(): void {
  armed.clear();
}

export function listFaults(): Record<string, FaultSpec & { fired: number }> {
  return Object.fromEntries(armed);
}
