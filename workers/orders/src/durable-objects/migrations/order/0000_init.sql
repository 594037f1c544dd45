CREATE TABLE `order_lines` (
	`product_id` text PRIMARY KEY NOT NULL,
	`position` integer NOT NULL,
	`quantity` integer NOT NULL,
	`sku` text,
	`name` text,
	`unit_amount` integer,
	`currency` text,
	CONSTRAINT "order_lines_quantity" CHECK("order_lines"."quantity" BETWEEN 1 AND 99)
);
--> statement-breakpoint
CREATE TABLE `order_state` (
	`id` text PRIMARY KEY NOT NULL,
	`number` integer,
	`user_id` text NOT NULL,
	`status` text NOT NULL,
	`currency` text,
	`total` integer,
	`shipping_address` text NOT NULL,
	`payment_method` text NOT NULL,
	`payment_id` text,
	`payment_status` text,
	`amount_refunded` integer DEFAULT 0 NOT NULL,
	`failure_message` text,
	`reserved` integer DEFAULT 0 NOT NULL,
	`refund_requested` integer DEFAULT 0 NOT NULL,
	`carrier` text,
	`tracking_number` text,
	`shipped_at` text,
	`deadline_at` integer NOT NULL,
	`reason` text,
	`traceparent` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`version` integer NOT NULL,
	`creation_status` integer,
	`creation_body` text,
	`next_action_url` text,
	`return_url` text
);
--> statement-breakpoint
CREATE TABLE `outbox` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`payload` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `processed_events` (
	`event_id` text PRIMARY KEY NOT NULL,
	`processed_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `tasks` (
	`name` text PRIMARY KEY NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_at` integer NOT NULL,
	`last_error` text
);
--> statement-breakpoint
CREATE TABLE `timeline` (
	`seq` integer PRIMARY KEY NOT NULL,
	`type` text NOT NULL,
	`status` text NOT NULL,
	`at` text NOT NULL,
	`detail` text
);
