/**
 * The runtime's shared table shapes, for the workers' drizzle schemas. This entry imports
 * nothing but drizzle's sqlite-core, so drizzle-kit (which loads the schemas in Node, where
 * `cloudflare:workers` does not exist) can read a schema that includes them.
 */
export { deadLetterColumns, queueDeadLetters } from "./dead-letters/table";
export { idempotencyRecords } from "./idempotency/table";
export { outboxColumns, outboxTable, outboxTableSql } from "./outbox/table";
