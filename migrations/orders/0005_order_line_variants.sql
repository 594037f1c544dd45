-- An order line is one variant of a product (ADR 0029): the history keeps the variant, its SKU
-- and its label ("M / Blue"), and two variants of one product are two rows. The key becomes
-- (order, product, variant). Expand only (ADR 0014): the previous release, which names products
-- alone, still writes rows here during a deploy and after a rollback — `variant_id` defaults to
-- '' for it (read as the product's default variant), and its rows never collide, because it
-- writes one row per product. Existing rows get their product's default variant, whose id is
-- the product's under the variant prefix (`defaultVariantId`).
CREATE TABLE `__new_order_lines` (
	`order_id` text NOT NULL,
	`product_id` text NOT NULL,
	`variant_id` text DEFAULT '' NOT NULL,
	`sku` text,
	`variant_label` text DEFAULT '' NOT NULL,
	`name` text NOT NULL,
	`quantity` integer NOT NULL,
	`unit_amount` integer NOT NULL,
	`currency` text NOT NULL,
	`line_total` integer NOT NULL,
	PRIMARY KEY(`order_id`, `product_id`, `variant_id`)
);
--> statement-breakpoint
INSERT INTO `__new_order_lines` (`order_id`, `product_id`, `variant_id`, `sku`, `name`, `quantity`, `unit_amount`, `currency`, `line_total`)
  SELECT `order_id`, `product_id`, 'var_' || substr(`product_id`, instr(`product_id`, '_') + 1), `sku`, `name`, `quantity`, `unit_amount`, `currency`, `line_total`
  FROM `order_lines`;
--> statement-breakpoint
DROP TABLE `order_lines`;
--> statement-breakpoint
ALTER TABLE `__new_order_lines` RENAME TO `order_lines`;
