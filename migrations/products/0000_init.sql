CREATE TABLE `catalog_state` (
	`id` integer PRIMARY KEY NOT NULL,
	`version` integer NOT NULL,
	`stamp` text NOT NULL,
	CONSTRAINT "catalog_state_single_row" CHECK("catalog_state"."id" = 1)
);
--> statement-breakpoint
CREATE TABLE `categories` (
	`id` text PRIMARY KEY NOT NULL,
	`slug` text NOT NULL,
	`name` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `categories_slug_unique` ON `categories` (`slug`);--> statement-breakpoint
CREATE TABLE `inventory` (
	`product_id` text PRIMARY KEY NOT NULL,
	`on_hand` integer DEFAULT 0 NOT NULL,
	`reserved` integer DEFAULT 0 NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`product_id`) REFERENCES `products`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "inventory_stock_invariant" CHECK("inventory"."reserved" >= 0 AND "inventory"."reserved" <= "inventory"."on_hand" AND "inventory"."on_hand" >= 0)
);
--> statement-breakpoint
CREATE TABLE `products` (
	`id` text PRIMARY KEY NOT NULL,
	`sku` text NOT NULL,
	`name` text NOT NULL,
	`description` text NOT NULL,
	`category_id` text NOT NULL,
	`price_amount` integer NOT NULL,
	`currency` text NOT NULL,
	`attributes` text DEFAULT '{}' NOT NULL,
	`image_urls` text DEFAULT '[]' NOT NULL,
	`status` text DEFAULT 'active' NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`category_id`) REFERENCES `categories`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "products_price_nonnegative" CHECK("products"."price_amount" >= 0),
	CONSTRAINT "products_status_known" CHECK("products"."status" IN ('active', 'archived'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `products_sku_unique` ON `products` (`sku`);--> statement-breakpoint
CREATE INDEX `products_category_price` ON `products` (`category_id`,`price_amount`);--> statement-breakpoint
CREATE INDEX `products_status_created` ON `products` (`status`,`created_at`);--> statement-breakpoint
CREATE INDEX `products_status_price` ON `products` (`status`,`price_amount`);--> statement-breakpoint
CREATE INDEX `products_status_name` ON `products` (`status`,`name`);--> statement-breakpoint
CREATE TABLE `reservations` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`hold_id` text NOT NULL,
	`order_id` text NOT NULL,
	`product_id` text NOT NULL,
	`quantity` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`state` text DEFAULT 'active' NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`product_id`) REFERENCES `products`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "reservations_quantity_positive" CHECK("reservations"."quantity" > 0),
	CONSTRAINT "reservations_state_known" CHECK("reservations"."state" IN ('active', 'committed', 'released', 'expired'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `reservations_order_product` ON `reservations` (`order_id`,`product_id`);--> statement-breakpoint
CREATE INDEX `reservations_state_expiry` ON `reservations` (`state`,`expires_at`);