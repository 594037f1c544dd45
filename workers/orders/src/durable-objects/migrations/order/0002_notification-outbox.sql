-- Notification messages move onto the runtime's Durable Object outbox (ADR 0019): their own
-- table with the shared row shape. Pending messages the previous release left in `outbox`
-- (kind 'notification') move with their attempts and due time; the old table had no creation
-- time, so their due time stands in for it. The projection row stays in `outbox`.
CREATE TABLE `notification_outbox` (
	`id` text PRIMARY KEY NOT NULL,
	`payload` text NOT NULL,
	`created_at` integer NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `notification_outbox_next` ON `notification_outbox` (`next_at`);
--> statement-breakpoint
INSERT OR IGNORE INTO `notification_outbox` (`id`, `payload`, `created_at`, `attempts`, `next_at`)
  SELECT `id`, `payload`, `next_at`, `attempts`, `next_at` FROM `outbox` WHERE `kind` = 'notification';
--> statement-breakpoint
DELETE FROM `outbox` WHERE `kind` = 'notification';
