-- Reconciliation runs (issue 11, item 5): one row per run of `reconcile` (cron every 5 minutes,
-- or POST /orders/reconciliation). The latest row is the report admins read, and it says where
-- the next run resumes the feed of settled payments: from `payments_since`/`payments_cursor`
-- when this run stopped early, otherwise from its own start minus an overlap.
CREATE TABLE `reconciliation_runs` (
	`id` text PRIMARY KEY NOT NULL,
	`started_at` text NOT NULL,
	`finished_at` text NOT NULL,
	`payments_since` text NOT NULL,
	`payments_cursor` text,
	`payments_complete` integer NOT NULL,
	`payments_checked` integer NOT NULL,
	`orders_checked` integer NOT NULL,
	`complete` integer NOT NULL,
	`repairs` integer NOT NULL,
	`problems` integer NOT NULL,
	`report` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `reconciliation_runs_started_idx` ON `reconciliation_runs` (`started_at`, `id`);
