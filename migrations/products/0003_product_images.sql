CREATE TABLE `product_images` (
	`id` text PRIMARY KEY NOT NULL,
	`product_id` text NOT NULL,
	`position` integer NOT NULL,
	`r2_key` text NOT NULL,
	`sha256` text NOT NULL,
	`content_type` text NOT NULL,
	`bytes` integer NOT NULL,
	`width` integer,
	`height` integer,
	`alt` text DEFAULT '' NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`product_id`) REFERENCES `products`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "product_images_position_nonnegative" CHECK("product_images"."position" >= 0),
	CONSTRAINT "product_images_type_known" CHECK("product_images"."content_type" IN ('image/jpeg', 'image/png', 'image/webp')),
	CONSTRAINT "product_images_bytes_bounded" CHECK("product_images"."bytes" > 0 AND "product_images"."bytes" <= 5242880)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `product_images_r2_key_unique` ON `product_images` (`r2_key`);--> statement-breakpoint
CREATE INDEX `product_images_product_position` ON `product_images` (`product_id`,`position`);--> statement-breakpoint

-- At most 10 images per product, whatever the application does (ADR 0025).
CREATE TRIGGER product_images_at_most_ten BEFORE INSERT ON product_images
WHEN (SELECT COUNT(*) FROM product_images WHERE product_id = NEW.product_id) >= 10
BEGIN
  SELECT RAISE(ABORT, 'too_many_images');
END;
