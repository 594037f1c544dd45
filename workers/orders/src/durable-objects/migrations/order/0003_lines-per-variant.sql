-- An order line is one variant of a product (ADR 0029), with the variant's SKU and label
-- snapshotted when the order is priced. Lines of orders from before variants named a product,
-- which meant its default variant: they get it, whose id is the product's under the variant
-- prefix (`defaultVariantId`), and an empty label (a product without options has none).
CREATE TABLE `__new_order_lines` (
	`variant_id` text PRIMARY KEY NOT NULL,
	`product_id` text NOT NULL,
	`position` integer NOT NULL,
	`quantity` integer NOT NULL,
	`sku` text,
	`variant_label` text DEFAULT '' NOT NULL,
	`name` text,
	`unit_amount` integer,
	`currency` text,
	CONSTRAINT "order_lines_quantity" CHECK("__new_order_lines"."quantity" BETWEEN 1 AND 99)
);
--> statement-breakpoint
INSERT INTO `__new_order_lines`("variant_id", "product_id", "position", "quantity", "sku", "name", "unit_amount", "currency")
  SELECT 'var_' || substr("product_id", instr("product_id", '_') + 1), "product_id", "position", "quantity", "sku", "name", "unit_amount", "currency"
  FROM `order_lines`;
--> statement-breakpoint
DROP TABLE `order_lines`;
--> statement-breakpoint
ALTER TABLE `__new_order_lines` RENAME TO `order_lines`;
