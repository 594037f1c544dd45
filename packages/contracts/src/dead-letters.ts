import { z } from "zod";
import { idSchema } from "./ids";

/**
 * A message a queue gave up on (after `max_retries`) and handed to its dead-letter queue, as
 * the consumer of that DLQ recorded it for an admin to inspect and replay. One record per
 * message (its envelope id), however many times the dead-letter queue delivers it.
 */
export const QueueDeadLetterId = idSchema("deadLetter");

export const QueueDeadLetter = z
  .object({
    id: QueueDeadLetterId,
    /** The queue the message died on (the live queue, not its DLQ), e.g. `payment-events`. */
    queue: z.string(),
    /** The message's own id (envelope or event id): what makes recording and replay idempotent. */
    messageId: z.string().nullable(),
    status: z.enum(["dead", "replayed"]),
    /** Delivery attempts the dead-letter queue reported on its latest delivery. */
    attempts: z.int(),
    /** How many times the dead-letter queue delivered it (redeliveries are recorded once). */
    deliveries: z.int(),
    reason: z.string(),
    /** Whether the body parses as the queue's message type; only those can be replayed. */
    replayable: z.boolean(),
    body: z.unknown(),
    firstSeenAt: z.iso.datetime(),
    lastSeenAt: z.iso.datetime(),
    replayedAt: z.iso.datetime().nullable(),
    replayedBy: z.string().nullable(),
    /** What applying it did when it was replayed (e.g. `applied`, `duplicate`, `stale`). */
    replayOutcome: z.string().nullable(),
  })
  .meta({ id: "QueueDeadLetter" });
export type QueueDeadLetter = z.infer<typeof QueueDeadLetter>;

export const QueueDeadLetterPage = z
  .object({ items: z.array(QueueDeadLetter), nextCursor: z.string().nullable() })
  .meta({ id: "QueueDeadLetterPage" });
export type QueueDeadLetterPage = z.infer<typeof QueueDeadLetterPage>;

export const ListQueueDeadLettersQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(100).default(20),
    cursor: z.string().max(600).optional(),
    status: z.enum(["dead", "replayed"]).optional(),
  })
  .strict();
export type ListQueueDeadLettersQuery = z.infer<typeof ListQueueDeadLettersQuery>;

export const QueueDeadLetterIdParams = z.object({ id: QueueDeadLetterId });
