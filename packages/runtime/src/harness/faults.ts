import { z } from "zod";

/**
 * Test-only fault injection, for the correctness battery. Part of the armed harness
 * (./armed.ts): only builds that alias `@shop/runtime/harness` to it contain this module, and
 * no production build does (ADR 0015). Faults live in isolate memory and are set over HTTP
 * (`PUT /__faults`, reached through the gateway at `/__faults/<service>`).
 */
export const FaultSpec = z
  .object({
    /**
     * "error" throws at the point; "delay" waits `delayMs` then continues; "duplicate" makes a
     * queue producer send every message `copies` times with random delays (at-least-once and
     * out-of-order delivery, on demand).
     */
    mode: z.enum(["error", "delay", "duplicate"]),
    copies: z.int().min(2).max(10).default(5),
    delayMs: z.int().min(0).max(60_000).default(0),
    /** Fire this many times, then disarm; absent = until cleared. */
    times: z.int().min(1).max(1_000_000).optional(),
    probability: z.number().min(0).max(1).default(1),
  })
  .strict();
export type FaultSpec = z.infer<typeof FaultSpec>;

const armed = new Map<string, FaultSpec & { fired: number }>();

/** Call at a step where a failure must be survivable. */
export async function injectFault(_env: unknown, point: string): Promise<void> {
  const fault = fire(point);
  if (!fault || fault.mode === "duplicate") return;
  if (fault.delayMs > 0) await new Promise((r) => setTimeout(r, fault.delayMs));
  if (fault.mode === "error") throw new Error(`injected fault at ${point}`);
}

function fire(point: string): FaultSpec | undefined {
  const fault = armed.get(point);
  if (!fault) return undefined;
  if (fault.times !== undefined && fault.fired >= fault.times) return undefined;
  if (Math.random() >= fault.probability) return undefined;
  fault.fired++;
  return fault;
}

/** True when `point` is armed (and fires): for test-only alternative code paths. */
export function faultArmed(_env: unknown, point: string): boolean {
  return fire(point) !== undefined;
}

/**
 * Wraps a queue producer so that, when `point` is armed with mode "duplicate", every message
 * goes out `copies` times with random delays of 0–3 s, and once otherwise.
 */
export function faultyQueue<T>(_env: unknown, queue: Queue<T>, point: string): Queue<T> {
  const copiesFor = () => {
    const fault = fire(point);
    return fault?.mode === "duplicate" ? fault.copies : 1;
  };
  const jitter = () => ({ delaySeconds: Math.floor(Math.random() * 4) });
  return {
    send: async (body: T, options?: QueueSendOptions) => {
      const copies = copiesFor();
      for (let i = 0; i < copies; i++) await queue.send(body, copies > 1 ? { ...options, ...jitter() } : options);
    },
    sendBatch: async (messages: Iterable<MessageSendRequest<T>>, options?: QueueSendBatchOptions) => {
      const list = [...messages];
      const copies = copiesFor();
      if (copies === 1) return queue.sendBatch(list, options);
      const all = list.flatMap((m) => Array.from({ length: copies }, () => ({ ...m, ...jitter() })));
      await queue.sendBatch(
        all.sort(() => Math.random() - 0.5),
        options,
      );
    },
  } as unknown as Queue<T>;
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
