-- A cart line is one variant of a product (ADR 0029): size M and size L are two lines, keyed by
-- the variant. Lines from before variants named a product, which meant its default variant:
-- they move to it, whose id is the product's under the variant prefix (`defaultVariantId`).
CREATE TABLE `__new_lines` (
	`variant_id` text PRIMARY KEY NOT NULL,
	`product_id` text NOT NULL,
	`quantity` integer NOT NULL,
	`added_at` integer NOT NULL,
	CONSTRAINT "lines_quantity" CHECK("__new_lines"."quantity" BETWEEN 1 AND 99)
);
--> statement-breakpoint
INSERT INTO `__new_lines`("variant_id", "product_id", "quantity", "added_at")
  SELECT 'var_' || substr("product_id", instr("product_id", '_') + 1), "product_id", "quantity", "added_at" FROM `lines`;
--> statement-breakpoint
DROP TABLE `lines`;
--> statement-breakpoint
ALTER TABLE `__new_lines` RENAME TO `lines`;
