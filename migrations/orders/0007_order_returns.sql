-- Returns (ADR 0034): each order's OrderDO owns its returns; this table is their index for the
-- admin's list (by status, newest first) and maps a return id to its order. Written by the
-- order's projection, monotonic by `version`; `body` is the return as the API shows it.
CREATE TABLE `order_returns` (
	`id` text PRIMARY KEY NOT NULL,
	`order_id` text NOT NULL,
	`user_id` text NOT NULL,
	`status` text NOT NULL,
	`requested_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`version` integer NOT NULL,
	`body` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `order_returns_status_requested` ON `order_returns` (`status`, `requested_at`);
--> statement-breakpoint
CREATE INDEX `order_returns_order` ON `order_returns` (`order_id`);
