-- Idempotency-Key records in the runtime's one shape (ADR 0018): epoch-ms times, a lease token
-- apart from the creation time, and a domain outcome instead of an HTTP status and body.
-- Expand only (ADR 0014): `idempotency_keys` stays for the previous release's code, which runs on
-- this schema until the new code is out (or after a rollback); a later release drops it. Its live
-- records are copied here. Claims the previous release makes after the copy are not mirrored:
-- refunds do not need it, because the refund row itself is keyed by (payment, Idempotency-Key),
-- so a retry that finds no record here replays that refund instead of making a second one.
-- Stored answers become outcomes: a 2xx body is the value (the refund view); a problem becomes
-- the refund service's refusal code (404 `not_found`, 422 `amount_too_large`, 409 `not_refundable`).
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
SELECT `scope`, `key`, `fingerprint`,
  CASE WHEN `state` = 'done' AND `response_status` IS NOT NULL THEN 'done' ELSE 'in_flight' END,
  CASE
    WHEN `state` <> 'done' OR `response_status` IS NULL THEN NULL
    WHEN `response_status` < 300 THEN json_object('ok', json('true'), 'value', json(`response_body`))
    ELSE json_object('ok', json('false'),
      'code', CASE json_extract(`response_body`, '$.code')
        WHEN 'not_found' THEN 'not_found'
        WHEN 'unprocessable' THEN 'amount_too_large'
        ELSE 'not_refundable' END,
      'detail', coalesce(json_extract(`response_body`, '$.detail'), ''))
  END,
  CAST(round((julianday(`created_at`) - 2440587.5) * 86400000) AS integer),
  CAST(round((julianday(`created_at`) - 2440587.5) * 86400000) AS integer)
FROM `idempotency_keys`;
