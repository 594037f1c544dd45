ALTER TABLE `order_lines` ADD `weight_grams` integer;--> statement-breakpoint
ALTER TABLE `order_lines` ADD `tax_class` text;--> statement-breakpoint
ALTER TABLE `order_lines` ADD `category_id` text;