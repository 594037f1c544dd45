-- Hand-edited from drizzle-kit's output: it rebuilt both tables to add the CHECKs, which would
-- drop the triggers on products and product_variants (0001, 0004). A column CHECK on ADD COLUMN
-- holds the same rule; existing rows get the defaults (standard; no weight of their own).
ALTER TABLE `products` ADD `tax_class` text DEFAULT 'standard' NOT NULL CONSTRAINT "products_tax_class_known" CHECK(`tax_class` IN ('standard', 'reduced', 'zero'));--> statement-breakpoint
ALTER TABLE `product_variants` ADD `weight_grams` integer CONSTRAINT "product_variants_weight_nonnegative" CHECK(`weight_grams` IS NULL OR `weight_grams` >= 0);
