-- Idempotency-Key records in the runtime's one shape (ADR 0018): `POST /orders` claims
-- (scope `order:<user id>`, key) with the order id decided up front as its outcome.
-- Expand only (ADR 0014): `idempotency_keys` stays, because the previous release reads and writes
-- it while this migration is applied before the new code goes out (and after a rollback). Until
-- the contract release drops it, triggers keep both tables showing the same claims, so a key
-- claimed by either release's code is honoured by the other: the same order id, never a second
-- order. The old rows are copied first.
CREATE TABLE `idempotency_records` (
	`scope` text NOT NULL,
	`key` text NOT NULL,
	`fingerprint` text NOT NULL,
	`state` text NOT NULL,
	`outcome` text,
	`created_at` integer NOT NULL,
	`claimed_at` integer NOT NULL,
	PRIMARY KEY(`scope`, `key`)
);
--> statement-breakpoint
CREATE INDEX `idempotency_records_created_idx` ON `idempotency_records` (`created_at`);
--> statement-breakpoint
INSERT OR IGNORE INTO `idempotency_records` (`scope`, `key`, `fingerprint`, `state`, `outcome`, `created_at`, `claimed_at`)
SELECT 'order:' || `user_id`, `idem_key`, `fingerprint`, 'done',
  json_object('ok', json('true'), 'value', json_object('orderId', `order_id`)), `created_at`, `created_at`
FROM `idempotency_keys`;
--> statement-breakpoint
-- The previous release's claim (it forgot an expired one of the key first; so does this).
CREATE TRIGGER `idempotency_keys_to_records` AFTER INSERT ON `idempotency_keys` BEGIN
  DELETE FROM `idempotency_records`
  WHERE `scope` = 'order:' || NEW.`user_id` AND `key` = NEW.`idem_key` AND `created_at` < NEW.`created_at` - 86400000;
  INSERT OR IGNORE INTO `idempotency_records` (`scope`, `key`, `fingerprint`, `state`, `outcome`, `created_at`, `claimed_at`)
  VALUES ('order:' || NEW.`user_id`, NEW.`idem_key`, NEW.`fingerprint`, 'done',
    json_object('ok', json('true'), 'value', json_object('orderId', NEW.`order_id`)), NEW.`created_at`, NEW.`created_at`);
END;
--> statement-breakpoint
-- This release's claim, for the previous release's readers.
CREATE TRIGGER `idempotency_records_to_keys` AFTER INSERT ON `idempotency_records`
WHEN NEW.`scope` LIKE 'order:%' AND json_extract(NEW.`outcome`, '$.value.orderId') IS NOT NULL BEGIN
  INSERT OR IGNORE INTO `idempotency_keys` (`user_id`, `idem_key`, `fingerprint`, `order_id`, `created_at`)
  VALUES (substr(NEW.`scope`, 7), NEW.`key`, NEW.`fingerprint`, json_extract(NEW.`outcome`, '$.value.orderId'), NEW.`created_at`);
END;
--> statement-breakpoint
-- Expiry (this release's cron or claim) forgets the same claim in the old table, and only that one.
CREATE TRIGGER `idempotency_records_forget_keys` AFTER DELETE ON `idempotency_records`
WHEN OLD.`scope` LIKE 'order:%' BEGIN
  DELETE FROM `idempotency_keys`
  WHERE `user_id` = substr(OLD.`scope`, 7) AND `idem_key` = OLD.`key` AND `created_at` = OLD.`created_at`;
END;
