CREATE TABLE `applied_orders` (
	`order_id` text PRIMARY KEY NOT NULL,
	`applied_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `lines` (
	`product_id` text PRIMARY KEY NOT NULL,
	`quantity` integer NOT NULL,
	`added_at` integer NOT NULL,
	CONSTRAINT "lines_quantity" CHECK("lines"."quantity" BETWEEN 1 AND 99)
);
--> statement-breakpoint
CREATE TABLE `merged_carts` (
	`cart_id` text PRIMARY KEY NOT NULL,
	`merged_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `meta` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL
);
