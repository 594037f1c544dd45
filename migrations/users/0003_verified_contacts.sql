-- Verified contacts (issue 12): an email or phone counts as verified only with the time it was
-- proven. `email_verified` stays (the User shape reads it) and moves with `email_verified_at`.
ALTER TABLE `users` ADD `email_verified_at` text;--> statement-breakpoint
ALTER TABLE `users` ADD `phone_verified_at` text;--> statement-breakpoint
-- When the owner of this address was last told "someone tried to register with your email"
-- (epoch ms): at most one such email an hour, so registration cannot be used to spam an address.
ALTER TABLE `users` ADD `registration_notice_at` integer;--> statement-breakpoint
UPDATE `users` SET `email_verified_at` = `updated_at` WHERE `email_verified` = 1;--> statement-breakpoint
-- Single-use email verification tokens, stored only as SHA-256 hex, bound to the address they
-- were sent to (a token for an old address cannot verify a new one).
CREATE TABLE `email_verifications` (
	`token_hash` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`email` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`used_at` integer,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `email_verifications_user` ON `email_verifications` (`user_id`);--> statement-breakpoint
-- The one pending phone code per user: salted SHA-256 of the code, the number it was sent to,
-- attempts (at most 5), and the send window that limits resends.
CREATE TABLE `phone_verifications` (
	`user_id` text PRIMARY KEY NOT NULL,
	`phone` text NOT NULL,
	`code_hash` text NOT NULL,
	`salt` text NOT NULL,
	`expires_at` integer NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`sent_at` integer NOT NULL,
	`window_start` integer NOT NULL,
	`sends` integer DEFAULT 1 NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "phone_verifications_attempts" CHECK("phone_verifications"."attempts" BETWEEN 0 AND 5)
);
