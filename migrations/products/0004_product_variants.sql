CREATE TABLE `product_variants` (
	`id` text PRIMARY KEY NOT NULL,
	`product_id` text NOT NULL,
	`sku` text NOT NULL,
	`options` text DEFAULT '{}' NOT NULL,
	`option_key` text DEFAULT '' NOT NULL,
	`price_amount` integer NOT NULL,
	`status` text DEFAULT 'active' NOT NULL,
	`position` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`product_id`) REFERENCES `products`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "product_variants_price_nonnegative" CHECK("product_variants"."price_amount" >= 0),
	CONSTRAINT "product_variants_status_known" CHECK("product_variants"."status" IN ('active', 'archived'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `product_variants_sku_unique` ON `product_variants` (`sku`);--> statement-breakpoint
CREATE UNIQUE INDEX `product_variants_product_options` ON `product_variants` (`product_id`,`option_key`);--> statement-breakpoint
CREATE INDEX `product_variants_product_position` ON `product_variants` (`product_id`,`position`);--> statement-breakpoint

-- Every product there is gets its default variant (ADR 0029): the product's id under the `var_`
-- prefix, its SKU and price, no option values.
INSERT INTO `product_variants` (`id`, `product_id`, `sku`, `options`, `option_key`, `price_amount`, `status`, `position`, `created_at`, `updated_at`)
SELECT 'var_' || substr(`id`, 5), `id`, `sku`, '{}', '', `price_amount`, 'active', 0, `created_at`, `updated_at` FROM `products`;
--> statement-breakpoint
-- This trigger reads `inventory`, which is rebuilt below: it goes first and comes back at the end.
DROP TRIGGER IF EXISTS `reservations_require_active_product`;--> statement-breakpoint
DROP INDEX `reservations_order_product`;--> statement-breakpoint
ALTER TABLE `reservations` ADD `variant_id` text DEFAULT '' NOT NULL;--> statement-breakpoint
-- Every hold, live or not, now names the default variant of its product.
UPDATE `reservations` SET `variant_id` = 'var_' || substr(`product_id`, 5);--> statement-breakpoint
CREATE UNIQUE INDEX `reservations_order_variant` ON `reservations` (`order_id`,`variant_id`);--> statement-breakpoint
PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_inventory` (
	`variant_id` text PRIMARY KEY DEFAULT '' NOT NULL,
	`product_id` text NOT NULL,
	`on_hand` integer DEFAULT 0 NOT NULL,
	`reserved` integer DEFAULT 0 NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`product_id`) REFERENCES `products`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "inventory_stock_invariant" CHECK("__new_inventory"."reserved" >= 0 AND "__new_inventory"."reserved" <= "__new_inventory"."on_hand" AND "__new_inventory"."on_hand" >= 0)
);
--> statement-breakpoint
-- A product's stock row becomes its default variant's, units on hand and held unchanged.
INSERT INTO `__new_inventory`("variant_id", "product_id", "on_hand", "reserved", "updated_at") SELECT 'var_' || substr("product_id", 5), "product_id", "on_hand", "reserved", "updated_at" FROM `inventory`;--> statement-breakpoint
DROP TABLE `inventory`;--> statement-breakpoint
ALTER TABLE `__new_inventory` RENAME TO `inventory`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE INDEX `inventory_product` ON `inventory` (`product_id`);--> statement-breakpoint
ALTER TABLE `products` ADD `options` text DEFAULT '[]' NOT NULL;--> statement-breakpoint

-- A product is born with its default variant, whoever inserts it (admin write, seed, a release
-- before variants). A SKU another variant already uses aborts the insert.
CREATE TRIGGER products_default_variant AFTER INSERT ON products BEGIN
  INSERT INTO product_variants (id, product_id, sku, options, option_key, price_amount, status, position, created_at, updated_at)
  VALUES ('var_' || substr(NEW.id, 5), NEW.id, NEW.sku, '{}', '', NEW.price_amount, 'active', 0, NEW.created_at, NEW.updated_at);
END;
--> statement-breakpoint
-- A simple product stays simple: its one variant's SKU and price are the product's.
CREATE TRIGGER products_simple_variant_follows AFTER UPDATE OF sku, price_amount ON products
WHEN NEW.options = '[]'
BEGIN
  UPDATE product_variants SET sku = NEW.sku, price_amount = NEW.price_amount, updated_at = NEW.updated_at
  WHERE id = 'var_' || substr(NEW.id, 5);
END;
--> statement-breakpoint
-- Expand/contract (ADR 0014): writers that predate variants name a product alone; its stock row
-- and its holds are its default variant's. (With INSERT OR IGNORE over an existing row the move
-- is ignored, and the stray row goes.)
CREATE TRIGGER inventory_default_variant AFTER INSERT ON inventory
WHEN NEW.variant_id = ''
BEGIN
  UPDATE inventory SET variant_id = 'var_' || substr(NEW.product_id, 5) WHERE variant_id = '';
  DELETE FROM inventory WHERE variant_id = '';
END;
--> statement-breakpoint
CREATE TRIGGER reservations_default_variant AFTER INSERT ON reservations
WHEN NEW.variant_id = ''
BEGIN
  UPDATE reservations SET variant_id = 'var_' || substr(NEW.product_id, 5) WHERE id = NEW.id;
END;
--> statement-breakpoint

-- Holds need an active variant of an active product, with a stock row (a row naming no variant
-- means the product's default one).
CREATE TRIGGER reservations_require_active_product BEFORE INSERT ON reservations
WHEN NOT EXISTS (
  SELECT 1 FROM product_variants v
  JOIN products p ON p.id = v.product_id
  JOIN inventory i ON i.variant_id = v.id
  WHERE v.id = (CASE NEW.variant_id WHEN '' THEN 'var_' || substr(NEW.product_id, 5) ELSE NEW.variant_id END)
    AND v.product_id = NEW.product_id AND v.status = 'active' AND p.status = 'active'
)
BEGIN
  SELECT RAISE(ABORT, 'reservation_product_unavailable');
END;
