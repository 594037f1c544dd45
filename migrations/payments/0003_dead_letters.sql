-- Dead letters of `payments-simulator` (recorded by the payments-simulator-dlq consumer), for admins to
-- list and replay. The shape is the runtime's one dead-letter table (packages/runtime/src/dead-letters/table.ts).
CREATE TABLE `dead_letters` (
	`id` text PRIMARY KEY NOT NULL,
	`dedupe_key` text NOT NULL,
	`queue` text NOT NULL,
	`message_id` text,
	`body` text NOT NULL,
	`reason` text NOT NULL,
	`status` text NOT NULL CHECK (`status` IN ('dead', 'replayed')),
	`attempts` integer NOT NULL,
	`deliveries` integer DEFAULT 1 NOT NULL,
	`first_seen_at` integer NOT NULL,
	`last_seen_at` integer NOT NULL,
	`replayed_at` integer,
	`replayed_by` text,
	`replay_outcome` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `dead_letters_dedupe_key_unique` ON `dead_letters` (`dedupe_key`);--> statement-breakpoint
CREATE INDEX `dead_letters_status` ON `dead_letters` (`status`,`id`);
