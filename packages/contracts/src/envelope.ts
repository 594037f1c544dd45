import { z } from "zod";

/**
 * Every queue message is wrapped in this envelope. `id` is unique per event and is
 * what consumers de-duplicate on; `traceparent` carries the W3C trace across the queue.
 */
export function envelope<T extends string, D extends z.ZodType>(type: T, data: D) {
  return z.object({
    id: z.string().min(1).max(100),
    type: z.literal(type),
    version: z.literal(1),
    occurredAt: z.iso.datetime(),
    traceparent: z.string().max(100).optional(),
    data,
  });
}
