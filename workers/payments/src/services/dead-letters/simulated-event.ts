import { z } from "zod";
import type { SimulatedEvent } from "../providers/simulated";

const TYPES = [
  "payment_intent.succeeded",
  "payment_intent.payment_failed",
  "payment_intent.canceled",
  "payment_intent.processing",
] as const satisfies readonly SimulatedEvent["type"][];

/**
 * What a dead letter must look like to be replayed as a simulated gateway event. The queue
 * carries a TypeScript type, not a contract, so this checks the fields the consumer relies on
 * and passes the rest (e.g. `settle`) through untouched.
 */
const SimulatedEventShape = z.looseObject({
  id: z.string().min(1).max(100),
  type: z.enum(TYPES),
  paymentId: z.string().min(1).max(100),
  providerRef: z.string().min(1).max(200),
  failureMessage: z.string().nullable(),
});

export function parseSimulatedEvent(body: unknown): SimulatedEvent | null {
  const parsed = SimulatedEventShape.safeParse(body);
  return parsed.success ? (parsed.data as SimulatedEvent) : null;
}
