-- Sign-in throttle (ADR 0009, workers/users/README.md): attempts are reserved atomically
-- before the password is checked, per (account, client) with a progressive delay, and per
-- account in short windows that slow rather than lock. Replaces the read-then-write
-- `login_failures` log, whose count N parallel guesses could all pass.
DROP TABLE IF EXISTS `login_failures`;
--> statement-breakpoint
CREATE TABLE `login_client_throttle` (
	`account` text NOT NULL,
	`client` text NOT NULL,
	`failures` integer NOT NULL,
	`next_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`account`, `client`),
	CONSTRAINT "login_client_throttle_failures" CHECK("login_client_throttle"."failures" >= 0)
);
--> statement-breakpoint
CREATE INDEX `login_client_throttle_updated` ON `login_client_throttle` (`updated_at`);
--> statement-breakpoint
CREATE TABLE `login_account_throttle` (
	`account` text PRIMARY KEY NOT NULL,
	`window_start` integer NOT NULL,
	`attempts` integer NOT NULL,
	`nonce` text NOT NULL,
	CONSTRAINT "login_account_throttle_attempts" CHECK("login_account_throttle"."attempts" >= 0)
);
--> statement-breakpoint
CREATE INDEX `login_account_throttle_window` ON `login_account_throttle` (`window_start`);
