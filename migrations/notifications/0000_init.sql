CREATE TABLE `dead_letters` (
	`id` text PRIMARY KEY NOT NULL,
	`dedupe_key` text NOT NULL,
	`source` text NOT NULL,
	`message_id` text,
	`user_id` text,
	`type` text,
	`reason` text NOT NULL,
	`body` text NOT NULL,
	`status` text NOT NULL,
	`deaths` integer DEFAULT 1 NOT NULL,
	`replayed_at` integer,
	`replayed_by` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `dead_letters_dedupe_key_unique` ON `dead_letters` (`dedupe_key`);--> statement-breakpoint
CREATE INDEX `dead_letters_status` ON `dead_letters` (`status`,`id`);--> statement-breakpoint
CREATE TABLE `deliveries` (
	`id` text PRIMARY KEY NOT NULL,
	`message_id` text NOT NULL,
	`channel` text NOT NULL,
	`user_id` text NOT NULL,
	`type` text NOT NULL,
	`status` text NOT NULL,
	`retryable` integer DEFAULT false NOT NULL,
	`recipient` text NOT NULL,
	`subject` text,
	`attempts` integer DEFAULT 1 NOT NULL,
	`provider_id` text,
	`error` text,
	`claimed_at` integer NOT NULL,
	`sent_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `deliveries_message_channel` ON `deliveries` (`message_id`,`channel`);--> statement-breakpoint
CREATE INDEX `deliveries_user` ON `deliveries` (`user_id`,`id`);--> statement-breakpoint
CREATE INDEX `deliveries_recipient` ON `deliveries` (`recipient`);--> statement-breakpoint
CREATE TABLE `preferences` (
	`user_id` text PRIMARY KEY NOT NULL,
	`email_optional` integer DEFAULT true NOT NULL,
	`sms` integer DEFAULT true NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `throttles` (
	`key` text PRIMARY KEY NOT NULL,
	`window_start` integer NOT NULL,
	`count` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `undeliverable_addresses` (
	`address` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`reason` text NOT NULL,
	`marked_at` integer NOT NULL
);
