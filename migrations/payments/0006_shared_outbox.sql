-- Payment events move to the runtime's one outbox shape (ADR 0019): the envelope as sent, and
-- per row its refusals and when it is due, so refused sends back off like every other outbox.
-- Expand (ADR 0014): `payment_events_outbox` stays, unknown to the new code, until a later
-- release drops it and both triggers below. Until then one trigger copies what the previous
-- release still inserts there (during its deploy) into the new outbox, so no message is stranded
-- (one both releases send goes out twice: consumers de-duplicate by envelope id); the other
-- records every new event in the old table too, already marked sent (the previous release sends
-- only rows without `sent_at`), for whatever still reads it.
CREATE TABLE `outbox` (
	`id` text PRIMARY KEY NOT NULL,
	`payload` text NOT NULL,
	`created_at` integer NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `outbox_next` ON `outbox` (`next_at`);
--> statement-breakpoint
-- Backfill: every event not sent yet, due at once, as the `payment.status_changed` envelope
-- (`traceparent` only when there is one: json_patch drops a null member).
INSERT INTO `outbox` (`id`, `payload`, `created_at`, `attempts`, `next_at`)
SELECT id,
  json_patch(
    json_object('id', id, 'version', 1, 'occurredAt', created_at, 'type', 'payment.status_changed', 'data', json(data)),
    json_object('traceparent', traceparent)),
  CAST(round((julianday(created_at) - 2440587.5) * 86400000) AS INTEGER), 0, 0
FROM payment_events_outbox WHERE sent_at IS NULL;
--> statement-breakpoint
CREATE TRIGGER payment_events_outbox_expand AFTER INSERT ON payment_events_outbox WHEN NEW.sent_at IS NULL
BEGIN
  INSERT OR IGNORE INTO `outbox` (`id`, `payload`, `created_at`, `attempts`, `next_at`)
  VALUES (NEW.id,
    json_patch(
      json_object('id', NEW.id, 'version', 1, 'occurredAt', NEW.created_at, 'type', 'payment.status_changed',
        'data', json(NEW.data)),
      json_object('traceparent', NEW.traceparent)),
    CAST(round((julianday(NEW.created_at) - 2440587.5) * 86400000) AS INTEGER), 0,
    CAST(round((julianday(NEW.created_at) - 2440587.5) * 86400000) AS INTEGER) + 30000);
END;
--> statement-breakpoint
CREATE TRIGGER outbox_expand_old_table AFTER INSERT ON `outbox`
WHEN json_extract(NEW.payload, '$.type') = 'payment.status_changed'
BEGIN
  INSERT OR IGNORE INTO payment_events_outbox (id, payment_id, data, traceparent, created_at, sent_at)
  VALUES (NEW.id, json_extract(NEW.payload, '$.data.paymentId'), json_extract(NEW.payload, '$.data'),
    json_extract(NEW.payload, '$.traceparent'), json_extract(NEW.payload, '$.occurredAt'),
    json_extract(NEW.payload, '$.occurredAt'));
END;
