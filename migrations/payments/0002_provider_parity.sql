-- Payments that behave like Stripe (issue: payments parity).
-- 1. A payment can wait for the shopper (3-D Secure): `requires_action`, with the URL to show.
-- 2. The provider's machine-readable reason for a failure (decline or error code).
-- 3. Money that arrived after we recorded the payment failed or cancelled is recorded as
--    received (`succeeded`, `received_after_close = 1`) so the order refunds it: the state
--    machine follows the money, never hides it.
ALTER TABLE `payments` ADD `failure_code` text;
--> statement-breakpoint
ALTER TABLE `payments` ADD `next_action_url` text;
--> statement-breakpoint
ALTER TABLE `payments` ADD `received_after_close` integer DEFAULT 0 NOT NULL;
--> statement-breakpoint
DROP TRIGGER IF EXISTS payments_status_forward_only;
--> statement-breakpoint
CREATE TRIGGER payments_status_forward_only
BEFORE UPDATE OF status ON payments
WHEN NEW.status <> OLD.status AND NOT (
  (OLD.status = 'requires_payment' AND NEW.status IN ('requires_action', 'processing', 'succeeded', 'failed', 'cancelled'))
  OR (OLD.status = 'requires_action' AND NEW.status IN ('processing', 'succeeded', 'failed', 'cancelled'))
  OR (OLD.status = 'processing' AND NEW.status IN ('succeeded', 'failed', 'cancelled'))
  OR (OLD.status IN ('failed', 'cancelled') AND NEW.status = 'succeeded' AND NEW.received_after_close = 1)
  OR (OLD.status IN ('succeeded', 'partially_refunded') AND NEW.status IN ('partially_refunded', 'refunded'))
)
BEGIN
  SELECT RAISE(ABORT, 'payment status cannot move backwards');
END;
--> statement-breakpoint
-- The simulated provider's own ledger of PaymentIntents (local development and tests only: the
-- simulator is never selected where Stripe is configured). It is Stripe's state machine, so
-- that cancel, retrieve and search by order behave as Stripe's do.
CREATE TABLE `sim_intents` (
	`id` text PRIMARY KEY NOT NULL,
	`payment_id` text NOT NULL,
	`order_id` text NOT NULL,
	`idempotency_key` text NOT NULL,
	`amount` integer NOT NULL,
	`currency` text NOT NULL,
	`payment_method` text NOT NULL,
	`status` text NOT NULL,
	`client_secret` text NOT NULL,
	`return_url` text,
	`failure_code` text,
	`failure_message` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sim_intents_key_idx` ON `sim_intents` (`idempotency_key`);
--> statement-breakpoint
CREATE INDEX `sim_intents_order_idx` ON `sim_intents` (`order_id`);
