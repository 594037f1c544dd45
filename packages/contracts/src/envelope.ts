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

/** The fields every envelope shares; the rest (`type`, `data`, a message's `userId`…) is the body. */
export type EnvelopeHead = { id: string; version: 1; occurredAt: string; traceparent?: string };
export type EnvelopeBody<E> = E extends unknown ? Omit<E, keyof EnvelopeHead> : never;

/**
 * A new envelope of type `E` (e.g. `newEnvelope<NotificationMessage>(…)`): `id` unique per event,
 * `occurredAt` as ISO time, and `traceparent` only when there is one (the schemas accept no
 * empty or null value).
 */
export function newEnvelope<E extends EnvelopeHead>(
  head: { id: string; occurredAt: Date | number | string; traceparent?: string | null | undefined },
  body: EnvelopeBody<E>,
): E {
  const occurredAt = typeof head.occurredAt === "string" ? head.occurredAt : new Date(head.occurredAt).toISOString();
  // Head plus one of E's bodies is an E; TypeScript cannot see through the distributive Omit.
  return {
    id: head.id,
    version: 1,
    occurredAt,
    ...(head.traceparent ? { traceparent: head.traceparent } : {}),
    ...body,
  } as unknown as E;
}
