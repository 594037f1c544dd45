CREATE TABLE `stock_returns` (
	`return_id` text NOT NULL,
	`variant_id` text NOT NULL,
	`product_id` text NOT NULL,
	`quantity` integer NOT NULL,
	`applied_by` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`return_id`, `variant_id`),
	CONSTRAINT "stock_returns_quantity_positive" CHECK("stock_returns"."quantity" > 0)
);
