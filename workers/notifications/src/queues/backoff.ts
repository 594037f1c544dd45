import type { QueueBackoff } from "@shop/runtime";

/** Queue redelivery delays of both consumers: 10 s, 20 s, 40 s, … capped at 15 min. */
export const QUEUE_RETRY: QueueBackoff = { baseSeconds: 10, maxSeconds: 900 };
